import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';

/**
 * Roll-ups kept per data version. The version moves when any record table or the pairing tree
 * changes: temporary triggers on this connection call a JavaScript counter (monotonic, so a rolled
 * back transaction cannot bring an old version back), and `PRAGMA data_version` moves when another
 * connection (a script, another process) commits. Either move drops every kept result.
 */
const WATCHED = ['funds', 'talents', 'projects', 'labour', 'consumption', 'pairings'] as const;
/** Results kept at most; beyond it the oldest go first (a result is a few kilobytes). */
const MAX_ENTRIES = 2000;

interface State {
  local: number;
  dataVersion: () => number;
  seen: string;
  kept: Map<string, unknown>;
}
const states = new WeakMap<Database.Database, State>();

function stateOf(db: Db): State {
  const c = db.$client;
  const state = states.get(c);
  if (state) return state;
  const created: State = { local: 0, dataVersion: () => 0, seen: '', kept: new Map() };
  c.function('ewc_rollup_changed', { deterministic: false }, () => {
    created.local += 1;
    return null;
  });
  for (const table of WATCHED) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      c.exec(`CREATE TEMP TRIGGER IF NOT EXISTS ewc_rollup_${table}_${op.toLowerCase()}
        AFTER ${op} ON main.${table} BEGIN SELECT ewc_rollup_changed(); END`);
    }
  }
  const pragma = c.prepare('PRAGMA data_version').pluck();
  created.dataVersion = () => pragma.get() as number;
  states.set(c, created);
  return created;
}

/** The current data version of the record tables and the pairing tree, as an opaque string. */
export function rollUpVersion(db: Db): string {
  const state = stateOf(db);
  return `${state.local}.${state.dataVersion()}`;
}

/** The result kept under `key` for the current data version, computed once when missing. */
export function remember<T>(db: Db, key: string, compute: () => T): T {
  // inside a transaction the data may yet be rolled back: compute, keep nothing
  if (db.$client.inTransaction) return compute();
  const state = stateOf(db);
  const version = `${state.local}.${state.dataVersion()}`;
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
