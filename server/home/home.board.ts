import type { Db } from '../../db/client.ts';
import { sides, type Side } from '../../db/schema/index.ts';
import { chinaDay, yearFraction } from '../lib/china-time.ts';
import { remember } from '../lib/data-version.ts';
import { MEASURES, rolledUpTotalsOfSet, type MeasureKey, type Totals } from '../records/records.measures.ts';
import { pairingSetWithin } from '../pairings/pairings.queries.ts';
import { isWithin } from '../regions/regions.service.ts';
import { stateOf, storedReportsOfYear } from '../reports/reports.service.ts';
import { filesReports, type ReportState } from '../reports/reports.policy.ts';
import * as q from './home.queries.ts';

/**
 * The completeness board: every pairing of a scope in force in a year, with each side's report
 * state, each measure against its agreement target and whether it is behind the pro-rata target
 * for the date. The measures are kept per data version and day (one computation a day between
 * two changes, shared by every user of the scope); report states are joined on each view (kept
 * until a report moves).
 */

/** The four measures the board shows as columns; every measure with a target decides "behind". */
export const HEADLINE: readonly MeasureKey[] = ['fiscalFunds', 'cadresSent', 'jobs', 'purchases'];
const TARGETED = MEASURES.flatMap((m) => ('target' in m ? [{ key: m.key as MeasureKey, target: m.target, unit: m.unit }] : []));

export interface MeasureCell {
  key: MeasureKey;
  unit: string;
  actual: number;
  target: number | null;
  /** actual / target in whole percent (null without a target). */
  percent: number | null;
  behind: boolean;
}

export interface BoardEntry {
  id: number;
  level: string;
  /** The sides within the scope (an office is on one side of each of its pairings). */
  mySides: Side[];
  entered: Record<Side, number>;
  hasAgreement: boolean;
  cells: MeasureCell[];
  behind: MeasureKey[];
}

export interface BoardRow extends BoardEntry {
  reports: Record<Side, ReportState>;
  /** The report of the scope's own side (its first side, for an office on both). */
  myReport: ReportState;
}

export { yearFraction };

/** The board's entries of a scope (a region prefix) and year, in the pairing list's order (level, then id). */
export interface Board {
  entries: readonly BoardEntry[];
  /** Transfers of the scope and year awaiting the receiving side's confirmation (the records' own measure). */
  unconfirmed: number;
}

export function boardEntries(db: Db, prefix: string, year: number, now: Date): Board {
  return remember(db, `home.board ${prefix} ${year} ${chinaDay(now)}`, () =>
    computeBoard(db, prefix, year, yearFraction(year, now)),
  );
}

/** The pairings of a scope whose parent lies outside it: each holds everything of the scope below it. */
export function topsOf(facts: readonly q.PairingFacts[]): number[] {
  const ids = new Set(facts.map((p) => p.id));
  return facts.filter((p) => p.parentId === null || !ids.has(p.parentId)).map((p) => p.id);
}

const LEVEL_ORDER: Record<string, number> = { province: 0, city: 1, county: 2, pairup: 3 };

function computeBoard(db: Db, prefix: string, year: number, fraction: number): Board {
  const set = pairingSetWithin(db, prefix, undefined);
  const facts = q.pairingFactsOf(db, set.json).filter((p) => p.startYear <= year && (p.endYear === null || p.endYear >= year));
  const pairs = new Map(facts.map((p) => [p.id, p]));
  const ids = facts.map((p) => p.id);
  const { totals, entered } = rolledUpTotalsOfSet(db, ids, pairs, year);
  const targets = new Map(q.agreementsOf(db, JSON.stringify(ids), year).map((t) => [t.pairingId, t]));
  // pair-ups count in their county pair's measures, and file no report of their own
  const entries = facts
    .filter((p) => filesReports(p.level))
    .map((p): BoardEntry => {
      const target = targets.get(p.id);
      const cells = TARGETED.map((m) => cellOf(m, totals.get(p.id)!, target, fraction));
      return {
        id: p.id,
        level: p.level,
        mySides: sides.filter((s) => isWithin(s === 'assisting' ? p.assistingCode : p.assistedCode, prefix)),
        entered: entered.get(p.id) ?? { assisting: 0, assisted: 0 },
        hasAgreement: target !== undefined,
        cells: cells.filter((c) => HEADLINE.includes(c.key)).sort((a, b) => HEADLINE.indexOf(a.key) - HEADLINE.indexOf(b.key)),
        behind: cells.filter((c) => c.behind).map((c) => c.key),
      };
    });
  entries.sort((a, b) => LEVEL_ORDER[a.level]! - LEVEL_ORDER[b.level]! || a.id - b.id);
  // the scope's own top pairings each hold everything below them
  const unconfirmed = topsOf(facts).reduce((n, id) => n + totals.get(id)!.transfersUnconfirmed, 0);
  return Object.freeze({ entries: Object.freeze(entries), unconfirmed });
}

function cellOf(m: (typeof TARGETED)[number], totals: Totals, target: q.TargetRow | undefined, fraction: number): MeasureCell {
  const actual = totals[m.key];
  const goal = target?.[m.target] ?? null;
  const percent = goal !== null && goal > 0 ? Math.floor((actual / goal) * 100) : null;
  return {
    key: m.key,
    unit: m.unit,
    actual,
    target: goal,
    percent,
    behind: goal !== null && goal > 0 && actual < goal * fraction,
  };
}

const keptRows = new WeakMap<readonly BoardEntry[], WeakMap<object, readonly BoardRow[]>>();

/**
 * The entries with their report states as they stand now: kept while both stand (the entries for
 * a data version and day, the states until a report moves), so a page view joins nothing.
 */
export function boardRows(db: Db, entries: readonly BoardEntry[], year: number): readonly BoardRow[] {
  const stored = storedReportsOfYear(db, year);
  let byStored = keptRows.get(entries);
  if (!byStored) keptRows.set(entries, (byStored = new WeakMap()));
  let rows = byStored.get(stored);
  if (!rows) {
    rows = Object.freeze(
      entries.map((e) => {
        const s = stored.get(e.id);
        const reports = {
          assisting: stateOf(s?.assisting, e.entered.assisting),
          assisted: stateOf(s?.assisted, e.entered.assisted),
        };
        return { ...e, reports, myReport: reports[e.mySides[0] ?? 'assisting'] };
      }),
    );
    byStored.set(stored, rows);
  }
  return rows;
}
