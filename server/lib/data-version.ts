import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';

/**
 * Results kept per data version. The version is read from the `data_versions` counters
 * (migration 0005), which SQLite triggers bump on every insert, update and delete of the record
 * tables, agreements, pairings and regions — in this process or any other, raw SQL included.
 * Counters only grow and roll back with their transaction, so their sum names the data.
 * The assessment keeps its years against the same counters (server/assessment/assessment.cache.ts).
 *
 * Keepers, by what a result depends on:
 * - `data`: records, agreements and the structure (roll-ups, record counts). Any record change
 *   anywhere drops them.
 * - `structure`: pairings and regions only (a scope's pairing ids, the pairing list's order).
 *   Records come and go all day; these outlive them.
 * - `pages`: like `data`, for pages of rows (50 records with their pairing, some 20 kB each):
 *   fewer are kept. A page viewed by the many staff of one office between two writes is read once.
 *   The rendered rows of such a page (`{{#kept}}`, server/views.ts) are kept here too.
 * - `structurePages`: like `structure`, for pages of pairings (50 pairings with their sides' names).
 */
export type DependsOn = 'data' | 'structure' | 'pages' | 'structurePages';

const KEEPERS: Record<DependsOn, { sql: string; max: number }> = {
  // a result is a few kilobytes
  data: { sql: "SELECT total(version) FROM data_versions WHERE key = 'structure' OR key LIKE 'year:%'", max: 2000 },
  // a result may hold the ids of every pairing (13,000): fewer are kept
  structure: { sql: "SELECT total(version) FROM data_versions WHERE key = 'structure'", max: 300 },
  pages: { sql: "SELECT total(version) FROM data_versions WHERE key = 'structure' OR key LIKE 'year:%'", max: 400 },
  structurePages: { sql: "SELECT total(version) FROM data_versions WHERE key = 'structure'", max: 200 },
};

interface State {
  version: () => number;
  max: number;
  seen: number;
  kept: Map<string, unknown>;
}
const states = new WeakMap<Database.Database, Record<DependsOn, State>>();

function stateOf(db: Db, on: DependsOn): State {
  const c = db.$client;
  let state = states.get(c);
  if (!state) {
    const make = ({ sql, max }: { sql: string; max: number }): State => {
      const read = c.prepare(sql);
      // pluck each time: the connection hands the same statement to anyone preparing this text (db/client.ts)
      return { version: () => read.pluck().get() as number, max, seen: -1, kept: new Map() };
    };
    state = {
      data: make(KEEPERS.data),
      structure: make(KEEPERS.structure),
      pages: make(KEEPERS.pages),
      structurePages: make(KEEPERS.structurePages),
    };
    states.set(c, state);
  }
  return state[on];
}

/** The result kept under `key` for the current version of what it depends on, computed once when missing. */
export function remember<T>(db: Db, key: string, compute: () => T, on: DependsOn = 'data'): T {
  // inside a transaction the data may yet be rolled back: compute, keep nothing
  if (db.$client.inTransaction) return compute();
  const state = stateOf(db, on);
  const version = state.version();
  if (version !== state.seen) {
    state.kept.clear();
    state.seen = version;
  }
  if (state.kept.has(key)) return state.kept.get(key) as T;
  const value = compute();
  if (state.kept.size >= state.max) state.kept.delete(state.kept.keys().next().value!);
  state.kept.set(key, value);
  return value;
}

/**
 * The version of what a keeper's results depend on, now. A route that keeps a fragment rendered
 * from data it read names the fragment with the version read before that data: were the data to
 * change in between (another process), the fragment is kept under a version no one asks for.
 */
export function versionNow(db: Db, on: DependsOn): number {
  return stateOf(db, on).version();
}

/**
 * A keeper of results that stand while one stamp read from the database stands (the audit log's
 * last id, a set of counters): all results are dropped when the stamp moves, the oldest when more
 * than `max` are kept. Inside a transaction nothing is kept (it may yet be rolled back).
 */
export function keeperOn(stampOf: (db: Db) => string | number, max: number) {
  const kept = new WeakMap<object, { stamp: string | number; results: Map<string, unknown> }>();
  return <T>(db: Db, key: string, compute: () => T): T => {
    if (db.$client.inTransaction) return compute();
    const stamp = stampOf(db);
    let state = kept.get(db.$client);
    if (!state || state.stamp !== stamp) kept.set(db.$client, (state = { stamp, results: new Map() }));
    if (state.results.has(key)) return state.results.get(key) as T;
    const value = compute();
    if (state.results.size >= max) state.results.delete(state.results.keys().next().value!);
    state.results.set(key, value);
    return value;
  };
}
