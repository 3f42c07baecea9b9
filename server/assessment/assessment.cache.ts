import type { Database, Statement } from 'better-sqlite3';
import type { Db } from '../../db/client.ts';
import { computeYear, resultsOf, type YearResults } from './assessment.compute.ts';
import type { FrameworkDoc } from './assessment.framework.ts';
import type { GroupResult, ObjectResult } from './assessment.scorecards.ts';

/**
 * A year's scorecards computed once per data version and kept. The counters of `data_versions`
 * (db/schema/versions.ts) are bumped by SQLite triggers on every write to the tables the
 * computation reads, so a kept year is used only while none of them moved: never stale, whoever
 * wrote (a service, a script, raw SQL). One indexed read per request checks them.
 */

/** What a year's computation reads, as `data_versions` keys (see computeYear and previousResults). */
export function dependenciesOf(year: number): string[] {
  return [
    'structure', // pairings (tree, sides, years, names) and regions (names)
    `year:${year}`, // this year's records and agreements (values, targets)
    `year:${year - 1}`, // last year's: the "previous" values, and last year's results for the arrows
    `year:${year - 2}`, // …which, when computed live, compare with the year before them
    `assessment:${year}`, // framework, round (stage, snapshot) and inputs
    `assessment:${year - 1}`, // last year's, for the arrows
  ];
}

/** A computed year, frozen (shared by every request): what is derived from it is computed on first need. */
export interface ComputedYear {
  readonly doc: FrameworkDoc;
  readonly groups: readonly GroupResult[];
  /** What blocks publication and the digest (the year-level policy reads both). */
  results(): YearResults;
  /** Where an object stands: its group and its result. */
  find(key: string): { group: GroupResult; object: ObjectResult } | undefined;
  /** Every object's total, in league order: equal fingerprints, same published results. */
  totals(): string;
}

/** Years kept per database: a few, least recently used out (a national year of 1,373 scorecards: about 2 MB). */
const KEPT_YEARS = 4;

interface Kept {
  stamp: string;
  year: ComputedYear;
}

interface YearCache {
  readonly stampOf: Statement<string[], { key: string; version: number }>;
  readonly years: Map<number, Kept>;
  computations: number;
}

const caches = new WeakMap<Database, YearCache>();

/** The counters a year depends on (its primary key, one search per key: see test/unit/plans.test.ts). */
export const STAMP_SQL = `SELECT key, version FROM data_versions WHERE key IN (${dependenciesOf(0)
  .map(() => '?')
  .join(', ')}) ORDER BY key`;

function cacheOf(db: Db): YearCache {
  let cache = caches.get(db.$client);
  if (!cache) {
    const stampOf = db.$client.prepare<string[], { key: string; version: number }>(STAMP_SQL);
    caches.set(db.$client, (cache = { stampOf, years: new Map(), computations: 0 }));
  }
  return cache;
}

const totalsOf = (groups: readonly GroupResult[]) => JSON.stringify(groups.map((g) => g.objects.map((o) => [o.key, o.total])));

/** A whole result tree made read-only: it is handed to every request, none may change it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function computed(db: Db, year: number): ComputedYear {
  const { doc, groups } = deepFreeze(computeYear(db, year));
  const where = new Map<string, { group: GroupResult; object: ObjectResult }>();
  for (const group of groups) for (const object of group.objects) where.set(object.key, { group, object });
  let results: YearResults | undefined;
  let totals: string | undefined;
  return {
    doc,
    groups,
    results: () => (results ??= deepFreeze(resultsOf(groups))),
    find: (key) => where.get(key),
    totals: () => (totals ??= totalsOf(groups)),
  };
}

/**
 * The year's scorecards from the live records (no scope applied: callers filter), computed when a
 * data version it depends on moved since it was kept. Inside a transaction it is computed afresh
 * and not kept: uncommitted counters may yet be rolled back and the same numbers reused.
 */
export function computedYear(db: Db, year: number): ComputedYear {
  const cache = cacheOf(db);
  if (db.$client.inTransaction) {
    cache.computations += 1;
    return computed(db, year);
  }
  // the counters and the computation read one snapshot (another process may write meanwhile)
  return db.$client.transaction(() => {
    const stamp = cache.stampOf
      .all(...dependenciesOf(year))
      .map((r) => `${r.key}=${r.version}`)
      .join(',');
    const kept = cache.years.get(year);
    cache.years.delete(year);
    if (kept?.stamp === stamp) {
      cache.years.set(year, kept); // most recently used last
      return kept.year;
    }
    cache.computations += 1;
    const fresh = { stamp, year: computed(db, year) };
    cache.years.set(year, fresh);
    for (const old of cache.years.keys()) if (cache.years.size > KEPT_YEARS) cache.years.delete(old);
    return fresh.year;
  })();
}

/** How many times a database's years were computed (not served from the cache): tests count them. */
export function computationsOf(db: Db): number {
  return caches.get(db.$client)?.computations ?? 0;
}

/** Whether the live results differ from a published snapshot's (the same objects with the same totals). */
export function liveDiffers(db: Db, year: number, published: readonly GroupResult[]): boolean {
  return computedYear(db, year).totals() !== totalsOf(published);
}
