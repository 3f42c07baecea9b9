import type Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';

/** A set of ids a query reads many times: named by `key`, rebuilt as a new object when it changes. */
export interface IdSet {
  readonly key: string;
  readonly ids: readonly number[];
}

/** Tables kept per connection; beyond it the least recently used is dropped (and rebuilt if asked again). */
const MAX_TABLES = 100;

interface Tables {
  /** Set key → table name, least recently used first. Names are never reused. */
  names: Map<string, string>;
  /** Table name → the set object it was last filled from. */
  filledFrom: Map<string, IdSet>;
  last: number;
}
const perConnection = new WeakMap<Database.Database, Tables>();

/**
 * The name of a temporary table (this connection's own) holding the set's ids as its primary key,
 * filled from this very set object: when the set was rebuilt (a new structure version), the table
 * is refilled before it is read. Null inside a transaction, whose rollback would take the table
 * with it: the caller then binds the ids as JSON instead.
 *
 * Why: a query reading `pairing_id IN (SELECT value FROM json_each(?))` parses the JSON and builds
 * an index of it on every run — 0.28 ms of a 0.33 ms page walk for 江苏's 2,242 pairings; the
 * same walk against a kept table takes 0.05 ms (issue 9).
 */
export function idSetTable(db: Db, set: IdSet): string | null {
  const c = db.$client;
  if (c.inTransaction) return null;
  let t = perConnection.get(c);
  if (!t) perConnection.set(c, (t = { names: new Map(), filledFrom: new Map(), last: 0 }));
  let name = t.names.get(set.key);
  if (name !== undefined) t.names.delete(set.key);
  else name = `id_set_${++t.last}`;
  t.names.set(set.key, name);
  if (t.names.size > MAX_TABLES) {
    const [oldKey, oldName] = t.names.entries().next().value!;
    t.names.delete(oldKey);
    t.filledFrom.delete(oldName);
    c.exec(`DROP TABLE IF EXISTS temp.${oldName}`);
  }
  if (t.filledFrom.get(name) !== set) {
    c.transaction(() => {
      c.exec(`CREATE TEMP TABLE IF NOT EXISTS ${name} (id INTEGER PRIMARY KEY)`);
      c.exec(`DELETE FROM temp.${name}`);
      c.prepare(`INSERT INTO temp.${name} (id) SELECT value FROM json_each(?)`).run(JSON.stringify(set.ids));
    })();
    t.filledFrom.set(name, set);
  }
  return name;
}
