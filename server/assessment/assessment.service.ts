import type { Db } from '../../db/client.ts';
import type { RoundStage } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { contains, isWithin } from '../regions/regions.service.ts';
import { defaultFramework } from './assessment.defaults.ts';
import { FrameworkDoc, objectKey } from './assessment.framework.ts';
import * as q from './assessment.queries.ts';
import { computeScorecards, type GroupResult } from './assessment.scorecards.ts';
import { objectValues } from './assessment.values.ts';

export type { GroupResult, ObjectResult, IndicatorResult } from './assessment.scorecards.ts';
export { FrameworkDoc };

const assessors = (actor: Actor) => actor.role === 'admin' || actor.role === 'evaluator';

/** A year's framework. Documents are validated (defaults filled) when saved, so reads trust them. */
export function getFramework(db: Db, year: number) {
  const row = q.findFramework(db, year);
  if (!row) throw new NotFoundError();
  return { ...row, doc: row.doc as FrameworkDoc };
}

export function frameworkYears(db: Db) {
  return q.listFrameworkYears(db);
}

/** Creates a year's framework by copying the previous year's (or the default when there is none). */
export function createFramework(db: Db, actor: Actor, year: number, evaluatorIds: number[] = []) {
  if (!assessors(actor)) throw new ForbiddenError();
  if (q.findFramework(db, year)) throw new ConflictError('assessment.frameworkExists');
  const previous = q.findFramework(db, year - 1);
  const doc = previous ? FrameworkDoc.parse(previous.doc) : defaultFramework(year, evaluatorIds);
  if (previous) {
    doc.goals.title = doc.goals.title.replace(String(year - 1), String(year));
    doc.steps = doc.steps.map((s) => ({ ...s, due: `${Number(s.due.slice(0, 4)) + 1}${s.due.slice(4)}` }));
  }
  return db.transaction((tx) => {
    const row = q.insertFramework(tx, year, FrameworkDoc.parse(doc), actorId(actor));
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'create',
      entity: 'framework',
      entityId: year,
      after: { copiedFrom: previous ? year - 1 : 'default' },
    });
    return row;
  });
}

/** Saves an edited framework document (all five levels at once), validated as a whole. */
export function saveFramework(db: Db, actor: Actor, year: number, docJson: string, version: number) {
  if (!assessors(actor)) throw new ForbiddenError();
  const row = q.findFramework(db, year);
  if (!row) throw new NotFoundError();
  if (q.findRound(db, year)?.stage === 'published') throw new ConflictError('assessment.publishedFrozen');
  let raw: unknown;
  try {
    raw = JSON.parse(docJson);
  } catch {
    throw new ValidationError({ doc: { key: 'assessment.invalidJson' } });
  }
  const parsed = FrameworkDoc.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError({
      doc: { key: 'assessment.invalidFramework', params: { path: issue.path.join('.'), message: issue.message } },
    });
  }
  checkCrossAssessment(parsed.data);
  db.transaction((tx) => {
    if (!q.updateFrameworkAt(tx, row.id, version, parsed.data, actorId(actor))) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'update',
      entity: 'framework',
      entityId: year,
      before: row.doc,
      after: parsed.data,
    });
  });
}

/** Cross-assessment: a team never assesses an object of its own province. */
function checkCrossAssessment(doc: FrameworkDoc) {
  for (const team of doc.organisation.teams) {
    for (const key of team.assigned) {
      const code = /^r\.\w+\.(\d{6})$/.exec(key)?.[1];
      if (code && contains(team.homeProvince, code)) {
        throw new ValidationError({ doc: { key: 'assessment.ownProvince', params: { team: team.name, object: key } } });
      }
    }
  }
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

/** Which objects an actor may see in a round at its stage. */
function visibleTo(actor: Actor, doc: FrameworkDoc, stage: RoundStage | null): (key: string) => boolean {
  if (actor.role === 'admin') return () => true;
  if (actor.role === 'evaluator') {
    const teams = doc.organisation.teams.filter((t) => t.evaluators.includes(actor.id));
    if (teams.length === 0) return () => actor.scope === null;
    const assigned = new Set(teams.flatMap((t) => t.assigned));
    return (key) => assigned.has(key);
  }
  // Liaisons see their own region's scorecards once feedback has started; offices also during
  // self-assessment, where they write it (and attach its evidence) on that page.
  const open = stage === 'feedback' || stage === 'published' || (stage === 'self' && actor.role === 'staff');
  if (!open) return () => false;
  return (key) => {
    const code = /^r\.\w+\.(\d{6})$/.exec(key)?.[1];
    return code !== undefined && actor.scope !== null && isWithin(code, actor.scope);
  };
}

/**
 * The year's results as the actor may see them: the frozen snapshot once published (saying whether
 * the live records now differ), otherwise a live computation.
 */
export function yearResults(db: Db, actor: Actor, year: number) {
  const framework = getFramework(db, year);
  const round = q.findRound(db, year) ?? null;
  let groups: GroupResult[];
  let liveDiffers = false;
  if (round?.stage === 'published' && round.snapshot) {
    groups = (round.snapshot as { groups: GroupResult[] }).groups;
    const live = computeYear(db, year).groups;
    liveDiffers =
      JSON.stringify(live.map((g) => g.objects.map((o) => [o.key, o.total]))) !==
      JSON.stringify(groups.map((g) => g.objects.map((o) => [o.key, o.total])));
  } else {
    groups = computeYear(db, year).groups;
  }
  const visible = visibleTo(actor, framework.doc, round?.stage ?? null);
  const shown = groups
    .map((g) => ({ ...g, objects: g.objects.filter((o) => visible(o.key)) }))
    .filter((g) => g.objects.length > 0);
  return { framework, round, groups: shown, liveDiffers };
}

export function scorecard(db: Db, actor: Actor, year: number, key: string) {
  const results = yearResults(db, actor, year);
  for (const group of results.groups) {
    const object = group.objects.find((o) => o.key === key);
    if (object) return { ...results, group, object };
  }
  throw new NotFoundError();
}

/**
 * The inputs shown on a scorecard: assessors see every judged score and note; the object's own
 * office sees its self-assessment, its feedback and the n/a and veto reasons (not who scored what).
 */
export function inputsFor(db: Db, year: number, key: string, actor: Actor) {
  const round = q.findRound(db, year);
  if (!round) return [];
  const all = q.inputsOf(db, round.id).filter((i) => i.objectKey === key);
  return actor.role === 'admin' || actor.role === 'evaluator'
    ? all
    : all.filter((i) => ['self', 'feedback', 'na', 'veto'].includes(i.kind));
}

/** Whether the actor may see an object's scorecard in a year (same rule as the pages). */
export function canSee(db: Db, actor: Actor, year: number, key: string): boolean {
  const framework = q.findFramework(db, year);
  if (!framework) return false;
  return visibleTo(actor, framework.doc as FrameworkDoc, q.findRound(db, year)?.stage ?? null)(key);
}

export interface WeightsInput {
  points: number[];
  cutoffs: { good: number; fairlyGood: number; average: number };
  quotaGoodPercent: number | null;
  judgedTolerancePercent: number;
  version: number;
}

/** The yearly re-weighting done in a form: indicator points, grade cut-offs, quota and tolerance. */
export function saveWeights(db: Db, actor: Actor, year: number, input: WeightsInput) {
  const { doc } = getFramework(db, year);
  if (input.points.length !== doc.content.indicators.length) throw new ConflictError('conflict.stale');
  const errors: Record<string, { key: string }> = {};
  const { good, fairlyGood, average } = input.cutoffs;
  if (!(good > fairlyGood && fairlyGood > average)) errors.good = { key: 'framework.cutoffOrder' };
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  const next: FrameworkDoc = {
    ...doc,
    content: {
      ...doc.content,
      judgedTolerancePercent: input.judgedTolerancePercent,
      indicators: doc.content.indicators.map((ind, i) => ({ ...ind, points: input.points[i]! })),
    },
    grading: { ...doc.grading, cutoffs: input.cutoffs, quotaGoodPercent: input.quotaGoodPercent },
  };
  saveFramework(db, actor, year, JSON.stringify(next), input.version);
}
