import type { DbOrTx } from '../../db/client.ts';

/**
 * A query built once per connection and run many times with placeholders. Drizzle builds a query's
 * SQL anew each time it runs (a fifth of a pairing page's time under load, issue 9's profile); a
 * prepared one skips that and keeps its compiled statement. For the queries every page asks.
 *
 *   const byId = preparedFor((db) => db.select().from(t).where(eq(t.id, sql.placeholder('id'))).prepare());
 *   byId(db).get({ id });
 *
 * Kept per handle: a transaction's handle gets its own (built once for that transaction).
 */
export function preparedFor<Q>(build: (db: DbOrTx) => Q): (db: DbOrTx) => Q {
  const kept = new WeakMap<DbOrTx, Q>();
  return (db) => {
    let query = kept.get(db);
    if (query === undefined) kept.set(db, (query = build(db)));
    return query;
  };
}
