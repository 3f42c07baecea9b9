import type { DbOrTx } from '../../db/client.ts';

/**
 * A query built once per connection and run many times with placeholders. Drizzle builds a query's
 * SQL anew each time it runs (a fifth of a pairing page's time under load, issue 9's profile); a
 * prepared one skips that and keeps its compiled statement. For the queries every page asks.
 *
 *   const byId = preparedFor((db) => db.select().from(t).where(eq(t.id, sql.placeholder('id'))).prepare());
 *   byId(db).get({ id });
 *
 * A query whose shape varies (a record kind's table, with or without the actor's scope) takes
 * those as arguments and is built once per distinct set of them:
 *
 *   const byKind = preparedFor((db, table: RecordTable, scoped: boolean) => …prepare());
 *   byKind(db, funds, true).get({ id, lo, hi });
 *
 * Kept per handle: a transaction's handle gets its own (built once for that transaction).
 */
export function preparedFor<Q, A extends readonly (string | number | boolean | object)[] = []>(
  build: (db: DbOrTx, ...args: A) => Q,
): (db: DbOrTx, ...args: A) => Q {
  const kept = new WeakMap<DbOrTx, Map<string, Q>>();
  return (db, ...args) => {
    let byArgs = kept.get(db);
    if (!byArgs) kept.set(db, (byArgs = new Map()));
    const key = args.map(keyPart).join(' ');
    let query = byArgs.get(key);
    if (query === undefined) byArgs.set(key, (query = build(db, ...args)));
    return query;
  };
}

/** Objects (tables) are told apart by identity, through a number given at first sight. */
const objectIds = new WeakMap<object, number>();
let lastObjectId = 0;
function keyPart(arg: string | number | boolean | object): string {
  if (typeof arg !== 'object') return JSON.stringify(arg);
  let id = objectIds.get(arg);
  if (id === undefined) objectIds.set(arg, (id = ++lastObjectId));
  return `#${id}`;
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}
interface Field {
  path: string[];
  field: unknown;
}
/** What a drizzle prepared select holds (better-sqlite3 driver): its ordered fields and raw rows. */
interface PreparedSelect {
  fields?: Field[];
  joinsNotNullableMap?: Record<string, boolean>;
  values(params?: Record<string, unknown>): unknown[][];
  all(params?: Record<string, unknown>): unknown[];
}

const readers = new WeakMap<object, ((row: unknown[]) => unknown) | null>();

/** How drizzle decodes a selected field (a column, or an sql`` expression with its decoder). */
function decoderOf(field: unknown): Decoder {
  const f = field as { mapFromDriverValue?: unknown; decoder?: Decoder; sql?: { decoder: Decoder } };
  if (typeof f.mapFromDriverValue === 'function') return f as Decoder;
  return f.decoder ?? f.sql!.decoder;
}

/**
 * A reader of raw rows into drizzle's objects, built once from the query's own ordered fields:
 * the same decoders drizzle applies, without the per-cell type checks of its row mapping (a
 * tenth of a record list's time under load, issue 9's profile). Null where it cannot stand in for
 * drizzle: a query without fields or with an outer join (whose missing side becomes null).
 */
function readerOf(query: PreparedSelect): ((row: unknown[]) => unknown) | null {
  if (readers.has(query)) return readers.get(query)!;
  const outer = Object.values(query.joinsNotNullableMap ?? {}).some((notNull) => !notNull);
  let reader: ((row: unknown[]) => unknown) | null = null;
  if (query.fields && !outer) {
    const plan = query.fields.map(({ path, field }) => ({ path, decoder: decoderOf(field) }));
    reader = (row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < plan.length; i++) {
        const { path, decoder } = plan[i]!;
        let node = out;
        for (let d = 0; d < path.length - 1; d++) node = (node[path[d]!] ??= {}) as Record<string, unknown>;
        const raw = row[i];
        node[path[path.length - 1]!] = raw === null ? null : decoder.mapFromDriverValue(raw);
      }
      return out;
    };
  }
  readers.set(query, reader);
  return reader;
}

/** `query.all(params)` with the rows read by `readerOf`: same objects, less work per row. */
export function allRows<T>(query: { all(params?: Record<string, unknown>): T[] }, params?: Record<string, unknown>): T[] {
  const q = query as unknown as PreparedSelect;
  const reader = readerOf(q);
  return reader ? (q.values(params).map(reader) as T[]) : query.all(params);
}
