import { createHash } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { NotFoundError } from '../lib/errors.ts';
import { objectKey, type FrameworkDoc } from './assessment.framework.ts';
import type { MissingItem } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';
import { computeScorecards, type GroupResult } from './assessment.scorecards.ts';
import { objectValues } from './assessment.values.ts';

/** A year's framework. Documents are validated (defaults filled) when saved, so reads trust them. */
export function getFramework(db: Db, year: number) {
  const row = q.findFramework(db, year);
  if (!row) throw new NotFoundError();
  return { ...row, doc: row.doc as FrameworkDoc };
}

/** Object names: regions by their full name, pairings by their two sides. */
function objectNames(db: Db, doc: FrameworkDoc): Map<string, string> {
  const codes = doc.objects.groups.flatMap((g) => g.members.flatMap((m) => (m.kind === 'region' ? [m.code] : [])));
  const regionNames = q.regionNames(db, codes);
  const pairingNames = q.pairingNames(
    db,
    doc.objects.groups.flatMap((g) => g.members.flatMap((m) => (m.kind === 'pairing' ? [m.pairingId] : []))),
  );
  const names = new Map<string, string>();
  for (const g of doc.objects.groups) {
    for (const m of g.members) {
      names.set(
        objectKey(m, g.side),
        m.kind === 'region' ? (regionNames.get(m.code) ?? m.code) : (pairingNames.get(m.pairingId) ?? `#${m.pairingId}`),
      );
    }
  }
  return names;
}

/** Computes every scorecard of a year from the live records (no scope applied: callers filter). */
export function computeYear(db: Db, year: number, withPrevious = true): { doc: FrameworkDoc; groups: GroupResult[] } {
  const { doc } = getFramework(db, year);
  const round = q.findRound(db, year);
  const inputs = round ? q.inputsOf(db, round.id) : [];
  const previous = withPrevious ? previousResults(db, year - 1) : null;
  const groups = computeScorecards(doc, year, objectValues(db, doc, year), inputs, objectNames(db, doc), previous);
  return { doc, groups };
}

/** Last year's official results: its published snapshot, or a live computation when it has none. */
function previousResults(db: Db, year: number): Map<string, { rank: number; percent: number }> | null {
  const round = q.findRound(db, year);
  let groups: GroupResult[] | undefined;
  if (round?.stage === 'published' && round.snapshot) groups = (round.snapshot as { groups: GroupResult[] }).groups;
  else if (q.findFramework(db, year)) groups = computeYear(db, year, false).groups;
  if (!groups) return null;
  return new Map(groups.flatMap((g) => g.objects.map((o) => [o.key, { rank: o.rank, percent: o.percent }])));
}

/**
 * What stands between a round and publication, read from the scoring engine: every applicable
 * (not n/a) indicator of every object must have a score — a judged indicator needs at least one
 * evaluator's score or a moderated one — and no spread beyond the tolerance may be left
 * unmoderated. Computed indicators always score (nothing recorded scores 0), so they never block.
 */
export function blockersOf(groups: readonly GroupResult[]): { flagged: number; missing: MissingItem[] } {
  let flagged = 0;
  const missing: MissingItem[] = [];
  for (const g of groups)
    for (const o of g.objects) {
      flagged += o.flagged;
      if (o.pending === 0 && o.flagged === 0) continue;
      const indicators: MissingItem['indicators'] = [];
      for (const i of o.indicators) {
        if (i.notApplicable !== null) continue;
        if (i.score === null) indicators.push({ key: i.key, name: i.name, reason: 'pending' });
        else if (i.judged?.flagged) indicators.push({ key: i.key, name: i.name, reason: 'flagged' });
      }
      missing.push({ key: o.key, object: o.name, indicators });
    }
  return { flagged, missing };
}

/**
 * A fingerprint of a year's scorecards (every value, score, reason, grade and rank), taken when
 * publication is proposed and compared at its confirmation: equal digests, same results.
 */
export function digestOf(groups: readonly GroupResult[]): string {
  return createHash('sha256').update(JSON.stringify(groups)).digest('base64url');
}

/** What the year-level policy reads from a computation of the scorecards. */
export interface YearResults {
  blockers: ReturnType<typeof blockersOf>;
  digest: string;
}

export const resultsOf = (groups: readonly GroupResult[]): YearResults => ({
  blockers: blockersOf(groups),
  digest: digestOf(groups),
});
