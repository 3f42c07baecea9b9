import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';

/**
 * Roll-ups and list counts kept per data version. The version is read from the `data_versions`
 * counters (migration 0005), which SQLite triggers bump on every insert, update and delete of the
 * record tables, agreements, pairings and regions — in this process or any other, raw SQL
 * included. Counters only grow and roll back with their transaction, so their sum names the data.
 * The assessment keeps its years against the same counters (server/assessment/assessment.cache.ts).
 */
/** Results kept at most; beyond it the oldest go first (a result is a few kilobytes). */
const MAX_ENTRIES = 2000;

interface State {
  version: () => number;
  seen: number;
  kept: Map<string, unknown>;
}
const states = new WeakMap<Database.Database, State>();

function stateOf(db: Db): State {
  const c = db.$client;
  let state = states.get(c);
  if (!state) {
    const read = c.prepare("SELECT total(version) FROM data_versions WHERE key = 'structure' OR key LIKE 'year:%'").pluck();
    state = { version: () => read.get() as number, seen: -1, kept: new Map() };
    states.set(c, state);
  }
  return state;
}

/** The result kept under `key` for the current data version, computed once when missing. */
export function remember<T>(db: Db, key: string, compute: () => T): T {
  // inside a transaction the data may yet be rolled back: compute, keep nothing
  if (db.$client.inTransaction) return compute();
  const state = stateOf(db);
  const version = state.version();
  if (version !== state.seen) {
    state.kept.clear();
    state.seen = version;
  }
  if (state.kept.has(key)) return state.kept.get(key) as T;
  const value = compute();
  if (state.kept.size >= MAX_ENTRIES) state.kept.delete(state.kept.keys().next().value!);
  state.kept.set(key, value);
  return value;
}
