import { and, getTableColumns, getTableName, asc, count, desc, eq, isNotNull, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '../../db/client.ts';
import { remember } from '../lib/data-version.ts';
import { idSetTable } from '../lib/id-sets.ts';
import { allRows, preparedFor } from '../lib/prepared.ts';
import { type consumption, pairings, projects, regions } from '../../db/schema/index.ts';
import { pairingSetWithin, type PairingSet } from '../pairings/pairings.queries.ts';
import { prefixRange } from '../regions/regions.service.ts';
import { PAIRING_SCOPE_PLACEHOLDERS } from '../pairings/pairings.scope.ts';
import { formFields, type RecordKind, type RecordTable } from './records.kinds.ts';

/**
 * The five record tables share their common columns (id, pairing_id, year, date, version …).
 * Drizzle types each table apart, so generic queries view any of them through the common shape;
 * the rows still carry every column of the real table.
 */
const common = (table: RecordTable) => table as unknown as typeof consumption;
export type RecordRow = Record<string, unknown> & {
  id: number;
  pairingId: number;
  year: number;
  date: string;
  version: number;
  deletedAt: Date | null;
};

const assisting = alias(regions, 'assisting');
const assisted = alias(regions, 'assisted');
const pairingColumns = {
  assistingCode: pairings.assistingCode,
  assistedCode: pairings.assistedCode,
  assistingName: sql<string>`coalesce(${pairings.assistingUnit}, ${assisting.name})`,
  assistedName: sql<string>`coalesce(${pairings.assistedUnit}, ${assisted.name})`,
  pairingLevel: pairings.level,
  pairingStart: pairings.startYear,
  pairingEnd: pairings.endYear,
};
export interface PairingOfRecord {
  assistingCode: string;
  assistedCode: string;
  assistingName: string;
  assistedName: string;
  pairingLevel: string;
  pairingStart: number;
  pairingEnd: number | null;
}

function joined(db: DbOrTx, table: RecordTable) {
  const t = common(table);
  return db
    .select({ record: table, pairing: pairingColumns })
    .from(t)
    .innerJoin(pairings, eq(pairings.id, t.pairingId))
    .innerJoin(assisting, eq(assisting.code, pairings.assistingCode))
    .innerJoin(assisted, eq(assisted.code, pairings.assistedCode));
}

/** A record by id with its pairing; the pairing's scope as placeholders (prepared once per kind and form). */
const recordById = preparedFor((db, table: RecordTable, deleted: boolean, scoped: boolean) => {
  const t = common(table);
  return joined(db, table)
    .where(
      and(
        eq(t.id, sql.placeholder('id')),
        deleted ? isNotNull(t.deletedAt) : isNull(t.deletedAt),
        isNull(pairings.deletedAt),
        scoped ? PAIRING_SCOPE_PLACEHOLDERS : undefined,
      ),
    )
    .prepare();
});

/** A record whose pairing lies within the scope (a region prefix, null for all); deleted ones only when asked. */
export function findRecord(
  db: DbOrTx,
  table: RecordTable,
  id: number,
  prefix: string | null,
  options: { deleted?: boolean } = {},
) {
  const query = recordById(db, table, options.deleted === true, prefix !== null);
  const row = query.get(prefix === null ? { id } : { id, ...prefixRange(prefix) });
  return row as { record: RecordRow; pairing: PairingOfRecord } | undefined;
}

export interface RecordFilter {
  pairingId?: number | undefined;
  year?: number | undefined;
  region?: string | undefined;
  /** Equality filters on the kind's own enum fields, e.g. { kind: 'fiscal', confirmation: 'unconfirmed' }. */
  fields?: Record<string, string> | undefined;
}

/**
 * Which pairings a list reads: every live one (undefined: records are joined to their pairing),
 * or a set built from the actor's scope and the region filter (pairings.queries.ts), read by
 * `pairing_id IN (…)` with no join: the scope stays inside the query.
 */
export type Within = PairingSet | undefined;

/** The set of a scoped (a region prefix) or region-filtered list, kept per structure version; undefined for the whole country. */
export function withinOf(db: Db, prefix: string | null, region: string | undefined): Within {
  return prefix !== null || region ? pairingSetWithin(db, prefix, region) : undefined;
}

/**
 * How a page is found. `walk`: along the (year, date) index, keeping the records of the set, which
 * reads about (offset + limit) × all / matching rows; best when the set holds a good share of the
 * records. `search`: SQLite's choice, the (pairing_id, year) index then a sort of every match;
 * best for a small set; ordering by `+year` keeps SQLite off the (year, date) index, which it
 * otherwise takes for a year filter. Without a set the walk is the only plan.
 */
export type PagePlan = 'walk' | 'search';

/** The set's pairings as the query reads them: this connection's kept table of them, or their ids as JSON. */
function inSet(db: Db, column: SQL, within: PairingSet): SQL {
  const table = idSetTable(db, within);
  return table
    ? sql`${column} IN (SELECT id FROM temp.${sql.identifier(table)})`
    : sql`${column} IN (SELECT value FROM json_each(${within.json}))`;
}

function listWhere(db: Db, table: RecordTable, within: Within, f: RecordFilter, plan?: PagePlan) {
  const t = common(table);
  const columns = table as unknown as Record<string, SQLColumnLike>;
  // a unary + keeps SQLite off the pairing index, so that the (year, date) index gives the order
  const pairingId = plan === 'walk' ? sql`+${t.pairingId}` : sql`${t.pairingId}`;
  return and(
    isNull(t.deletedAt),
    // a scope or a region is always a set (withinOf); without one, every live pairing's records
    within ? inSet(db, pairingId, within) : isNull(pairings.deletedAt),
    f.pairingId ? eq(t.pairingId, f.pairingId) : undefined,
    f.year ? eq(t.year, f.year) : undefined,
    ...Object.entries(f.fields ?? {}).map(([name, value]) => (columns[name] ? sql`${columns[name]} = ${value}` : undefined)),
  );
}
type SQLColumnLike = typeof consumption.channel;

/** Joins the records to their pairing, unless a set stands for the pairings (it needs no join). */
function joinPairings<Q extends { innerJoin: (table: typeof pairings, on: SQL) => Q }>(
  query: Q,
  table: RecordTable,
  within: Within,
): Q {
  return within ? query : query.innerJoin(pairings, eq(pairings.id, common(table).pairingId));
}

/**
 * How many records match. Kept per data version (a count over 600,000 rows costs tens of
 * milliseconds, and every list page asks it); any record or pairing change drops it. Named by
 * what it counts: the kind, the set (by its key, not its thousands of ids) and the filter; the
 * query is built only when the count is not kept. Without a set it counts the whole country.
 */
export function countRecords(db: Db, table: RecordTable, within: Within, f: RecordFilter): number {
  const filter = [f.pairingId, f.year, f.region, f.fields ?? {}];
  const key = `records.count ${getTableName(table)} ${within?.key ?? 'country'} ${JSON.stringify(filter)}`;
  return remember(db, key, () => {
    const query = joinPairings(db.select({ n: count() }).from(common(table)).$dynamic(), table, within);
    return query.where(listWhere(db, table, within, f)).get()?.n ?? 0;
  });
}

/**
 * The ids of one page, in order. A record's date lies in its year (a rule of every kind), so the
 * year leads the order: the (year, date) index gives it and no sort is needed (a plan test checks).
 * The rows are joined to their pairing afterwards, 50 at a time.
 */
export function pageOfRecords(
  db: Db,
  table: RecordTable,
  f: RecordFilter,
  sort: 'date' | 'oldest',
  limit: number,
  offset: number,
  within?: Within,
  plan?: PagePlan,
) {
  const t = common(table);
  const dir = sort === 'oldest' ? asc : desc;
  return joinPairings(db.select({ id: t.id }).from(t).$dynamic(), table, within)
    .where(listWhere(db, table, within, f, plan))
    .orderBy(dir(plan === 'search' ? sql`+${t.year}` : t.year), dir(t.date), dir(t.id))
    .limit(limit)
    .offset(offset);
}

export interface PageRequest {
  sort: 'date' | 'oldest';
  limit: number;
  offset: number;
  within?: Within;
  plan?: PagePlan;
}

/** A page's rows with their pairing, by id (the ids bound as one JSON array); prepared once per kind. */
/** Records by their ids (a JSON array bound as `ids`), each found by its key (a plan test checks). */
export const rowsByIdsQuery = (db: DbOrTx, table: RecordTable) =>
  joined(db, table).where(sql`${common(table).id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`);
const rowsByIds = preparedFor((db, table: RecordTable) => rowsByIdsQuery(db, table).prepare());

/**
 * The SQL of one page's ids (pageOfRecords). A search names the (pairing_id, year) index: on the
 * national data SQLite otherwise prefers the covering page index for `year = ?` and reads the
 * whole year of the kind (4× slower for a city's set; a plan test checks). Drizzle has no
 * INDEXED BY, so it is added to the FROM clause of drizzle's own text.
 */
export function pageSql(db: Db, table: RecordTable, f: RecordFilter, page: PageRequest) {
  const query = pageOfRecords(db, table, f, page.sort, page.limit, page.offset, page.within, page.plan).toSQL();
  if (page.plan !== 'search' || !page.within) return query;
  const name = getTableName(table);
  const from = `from "${name}" where`;
  if (!query.sql.includes(from)) throw new Error(`records: no FROM clause to name an index in: ${query.sql}`);
  return { ...query, sql: query.sql.replace(from, `from "${name}" INDEXED BY "${name}_pairing_year_idx" where`) };
}

export function listRecords(db: Db, table: RecordTable, f: RecordFilter, page: PageRequest) {
  return recordsByIds(db, table, listRecordIds(db, table, f, page));
}

/** The ids of a page of a list, in order. */
export function listRecordIds(db: Db, table: RecordTable, f: RecordFilter, page: PageRequest): number[] {
  const { sql: text, params } = pageSql(db, table, f, page);
  return (db.$client.prepare(text).all(...params) as { id: number }[]).map((r) => r.id);
}

/** Records with their pairing, in the order of the ids given. */
export function recordsByIds(db: Db, table: RecordTable, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = allRows(rowsByIds(db, table), { ids: JSON.stringify(ids) }) as { record: RecordRow; pairing: PairingOfRecord }[];
  const at = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => at.get(a.record.id)! - at.get(b.record.id)!);
}

export function listDeleted(db: DbOrTx, table: RecordTable, limit: number) {
  const t = common(table);
  return joined(db, table)
    .where(and(isNotNull(t.deletedAt), isNull(pairings.deletedAt)))
    .orderBy(desc(t.deletedAt))
    .limit(limit)
    .all() as { record: RecordRow; pairing: PairingOfRecord }[];
}

export function insertRecord(db: DbOrTx, table: RecordTable, values: Record<string, unknown>): RecordRow {
  return db
    .insert(common(table))
    .values(values as typeof consumption.$inferInsert)
    .returning()
    .get() as unknown as RecordRow;
}

/** Optimistic update: applies only over the version the form was built from. */
export function updateRecordAt(
  db: DbOrTx,
  table: RecordTable,
  id: number,
  version: number,
  values: Record<string, unknown>,
): boolean {
  const t = common(table);
  return (
    db
      .update(t)
      .set({ ...(values as Partial<typeof consumption.$inferInsert>), version: version + 1, updatedAt: new Date() })
      .where(and(eq(t.id, id), eq(t.version, version)))
      .run().changes === 1
  );
}

const rowById = preparedFor((db, table: RecordTable) => {
  const t = common(table);
  return db
    .select()
    .from(t)
    .where(eq(t.id, sql.placeholder('id')))
    .prepare();
});

/** A record's row, deleted or not (prepared once per kind: an import's commit and undo read one per row). */
export function getRecordRow(db: DbOrTx, table: RecordTable, id: number): RecordRow | undefined {
  return rowById(db, table).get({ id }) as unknown as RecordRow | undefined;
}

export function projectIdsOf(db: DbOrTx, pairingId: number): Set<number> {
  const rows = db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.pairingId, pairingId), isNull(projects.deletedAt)))
    .all();
  return new Set(rows.map((r) => r.id));
}

export function refTaken(db: DbOrTx, table: RecordTable, pairingId: number, ref: string, excludeId?: number): boolean {
  const row = refHolder(db, table).get({ pairingId, ref });
  return row !== undefined && row.id !== excludeId;
}

const refHolder = preparedFor((db, table: RecordTable) => {
  const t = common(table);
  return db
    .select({ id: t.id })
    .from(t)
    .where(and(eq(t.pairingId, sql.placeholder('pairingId')), eq(t.ref, sql.placeholder('ref'))))
    .prepare();
});

/** Whether a pairing's ledger number is in use: the (pairing_id, ref) index alone, a plain statement (an import asks once a row). */
const refInUse = preparedFor((db, table: RecordTable) =>
  (db as Db).$client.prepare(`SELECT 1 FROM "${getTableName(table)}" WHERE pairing_id = ? AND ref = ?`).pluck(),
);

const byRef = preparedFor((db, table: RecordTable) => {
  const t = common(table);
  return db
    .select()
    .from(t)
    .where(and(eq(t.pairingId, sql.placeholder('pairingId')), eq(t.ref, sql.placeholder('ref'))))
    .prepare();
});

/**
 * A pairing's record with this ledger number, deleted ones included (the number stays taken);
 * prepared once per kind. Most numbers of an import are new: their lookup reads the index alone
 * (refHolder), and only a number in use reads its record.
 */
export function recordByRef(db: Db, table: RecordTable, pairingId: number, ref: string): RecordRow | undefined {
  if (refInUse(db, table).get(pairingId, ref) === undefined) return undefined;
  return byRef(db, table).get({ pairingId, ref }) as unknown as RecordRow | undefined;
}

/** The columns every planned create sets: the form's, the side and pairing, and who made it. */
const BULK_EXTRA = ['side', 'pairingId', 'createdBy', 'updatedBy'];

/** A plain INSERT of those columns, positional, prepared once per connection and kind. */
const bulkInsert = preparedFor((db, kind: RecordKind) => {
  const columns = getTableColumns(kind.table) as Record<string, { name: string }>;
  const keys = [...formFields(kind).map((f) => f.name), ...BULK_EXTRA];
  const names = keys.map((k) => `"${columns[k]!.name}"`);
  const statement = (db as Db).$client.prepare(
    `INSERT INTO "${getTableName(kind.table)}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
  );
  return { keys, statement };
});

/**
 * Inserts a record of a planned create (the form's values, side, pairing, who) and returns its
 * id: one prepared statement, no query building and no row read back (an import inserts up to
 * 100,000 of them in one transaction).
 */
export function insertRecordFast(db: Db, kind: RecordKind, values: Record<string, unknown>): number {
  const { keys, statement } = bulkInsert(db, kind);
  return Number(statement.run(...keys.map((k) => values[k] ?? null)).lastInsertRowid);
}

/** Removes a record for good: only an import's undo does, for records the import created. */
const deleteById = preparedFor((db, table: RecordTable) => {
  const t = common(table);
  return db
    .delete(t)
    .where(eq(t.id, sql.placeholder('id')))
    .prepare();
});

export function deleteRecordRow(db: DbOrTx, table: RecordTable, id: number): void {
  deleteById(db, table).run({ id });
}
