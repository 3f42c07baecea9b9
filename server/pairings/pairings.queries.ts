import { and, asc, desc, eq, gte, isNotNull, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '../../db/client.ts';
import { pairings, regions, type PairingLevel, type PairingStatus, type PairupKind, type Side } from '../../db/schema/index.ts';
import { remember } from '../lib/data-version.ts';
import { allRows, preparedFor } from '../lib/prepared.ts';
import { containsPattern } from '../lib/like.ts';
import { codeWithin, prefixRange } from '../regions/regions.service.ts';
import { PAIRING_SCOPE_PLACEHOLDERS, scopeOfPrefix } from './pairings.scope.ts';

export type PairingRow = typeof pairings.$inferSelect;
export type NewPairing = typeof pairings.$inferInsert;

const assisting = alias(regions, 'assisting');
const assisted = alias(regions, 'assisted');

/** A pairing with the names of its sides, as every page shows it. */
const viewColumns = {
  id: pairings.id,
  level: pairings.level,
  pairupKind: pairings.pairupKind,
  parentId: pairings.parentId,
  assistingCode: pairings.assistingCode,
  assistingUnit: pairings.assistingUnit,
  assistingName: assisting.fullName,
  assistingZone: sql<string | null>`(SELECT zone FROM regions z WHERE z.code = ${assisting.provinceCode})`,
  assistedCode: pairings.assistedCode,
  assistedUnit: pairings.assistedUnit,
  assistedName: assisted.fullName,
  assistedZone: sql<string | null>`(SELECT zone FROM regions z WHERE z.code = ${assisted.provinceCode})`,
  startYear: pairings.startYear,
  endYear: pairings.endYear,
  status: pairings.status,
  outsideZones: pairings.outsideZones,
  notes: pairings.notes,
  version: pairings.version,
  updatedAt: pairings.updatedAt,
  deletedAt: pairings.deletedAt,
};

function viewQuery(db: DbOrTx) {
  return db
    .select(viewColumns)
    .from(pairings)
    .innerJoin(assisting, eq(assisting.code, pairings.assistingCode))
    .innerJoin(assisted, eq(assisted.code, pairings.assistedCode));
}
export type PairingView = Awaited<ReturnType<ReturnType<typeof viewQuery>['get']>> & {};

export function findPairing(db: DbOrTx, id: number, scope: SQL | undefined, options: { deleted?: boolean } = {}) {
  const live = options.deleted ? undefined : isNull(pairings.deletedAt);
  return viewQuery(db)
    .where(and(eq(pairings.id, id), live, scope))
    .get();
}

export interface PairingFilter {
  level?: PairingLevel | undefined;
  status?: PairingStatus | undefined;
  year?: number | undefined;
  region?: string | undefined;
  /** The side the region is looked for on; unset: either. */
  side?: Side | undefined;
  parentId?: number | undefined;
  pairupKind?: PairupKind | undefined;
  q?: string | undefined;
}

export const pairingSorts = ['start', 'assisting', 'assisted', 'level'] as const;
export type PairingSort = (typeof pairingSorts)[number];

function listWhere(scope: SQL | undefined, f: PairingFilter): SQL | undefined {
  const pattern = f.q ? containsPattern(f.q) : undefined;
  return and(
    isNull(pairings.deletedAt),
    scope,
    f.level ? eq(pairings.level, f.level) : undefined,
    f.status ? eq(pairings.status, f.status) : undefined,
    f.parentId ? eq(pairings.parentId, f.parentId) : undefined,
    f.pairupKind ? eq(pairings.pairupKind, f.pairupKind) : undefined,
    f.year ? and(lte(pairings.startYear, f.year), or(isNull(pairings.endYear), gte(pairings.endYear, f.year))) : undefined,
    f.region ? regionOnSide(f.region, f.side) : undefined,
    pattern
      ? sql`(${assisting.fullName} LIKE ${pattern} ESCAPE '\\' OR ${assisted.fullName} LIKE ${pattern} ESCAPE '\\'
            OR ${pairings.assistingUnit} LIKE ${pattern} ESCAPE '\\' OR ${pairings.assistedUnit} LIKE ${pattern} ESCAPE '\\')`
      : undefined,
  );
}

function regionOnSide(region: string, side: Side | undefined): SQL | undefined {
  const assistingWithin = codeWithin(pairings.assistingCode, region);
  const assistedWithin = codeWithin(pairings.assistedCode, region);
  return side === 'assisting' ? assistingWithin : side === 'assisted' ? assistedWithin : or(assistingWithin, assistedWithin);
}

/**
 * The ids of every pairing that matches, in the list's order: sorted once per structure version
 * and kept (pairings and regions change seldom; records, which come and go all day, do not touch
 * it). A page is then a slice of 50 ids and the total is its length: no count, no sort of the
 * scope per page. `key` names the scope and filter (the caller's prefix, not the SQL).
 */
export function orderedPairingIds(
  db: Db,
  key: string,
  scope: SQL | undefined,
  f: PairingFilter,
  sort: PairingSort,
): readonly number[] {
  const filter = [f.level, f.status, f.year, f.region, f.side, f.parentId, f.pairupKind, f.q];
  return remember(
    db,
    `pairings.order ${key} ${sort} ${JSON.stringify(filter)}`,
    () => {
      const query = db.select({ id: pairings.id }).from(pairings).$dynamic();
      // the names are joined only to search them
      const named = f.q
        ? query
            .innerJoin(assisting, eq(assisting.code, pairings.assistingCode))
            .innerJoin(assisted, eq(assisted.code, pairings.assistedCode))
        : query;
      return Object.freeze(
        named
          .where(listWhere(scope, f))
          .orderBy(...ORDER[sort])
          .all()
          .map((r) => r.id),
      );
    },
    'structure',
  );
}

const ORDER = {
  start: [desc(pairings.startYear), asc(pairings.assistingCode), asc(pairings.id)],
  assisting: [asc(pairings.assistingCode), asc(pairings.assistedCode), asc(pairings.id)],
  assisted: [asc(pairings.assistedCode), asc(pairings.assistingCode), asc(pairings.id)],
  level: [
    asc(sql`CASE ${pairings.level} WHEN 'province' THEN 0 WHEN 'city' THEN 1 WHEN 'county' THEN 2 ELSE 3 END`),
    asc(pairings.assistingCode),
    asc(pairings.id),
  ],
} satisfies Record<PairingSort, SQL[]>;

/**
 * Pairings by id, with their sides' names, in the order of the ids given (a page of a list). Kept
 * per structure version: a page of the list is read once between two changes to pairings or regions.
 */
const viewsByIds = preparedFor((db) =>
  viewQuery(db)
    .where(sql`${pairings.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

/** Pairings by id with their sides' names, in the order given, read afresh (an export's batch). */
export function pairingViews(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const rows = allRows(viewsByIds(db), { ids: JSON.stringify(ids) });
  const at = new Map(ids.map((id, i) => [id, i]));
  return rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!);
}

export function pairingsByIds(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  return remember(
    db,
    `pairings.page ${json}`,
    () => {
      const rows = allRows(viewsByIds(db), { ids: json });
      const at = new Map(ids.map((id, i) => [id, i]));
      return Object.freeze(rows.sort((a, b) => at.get(a.id)! - at.get(b.id)!));
    },
    'structurePages',
  );
}

/**
 * The live pairings within a scope and a region filter, as a set the record lists read by
 * `pairing_id IN (…)` instead of joining every record to its pairing. Kept per data version: a
 * pairing's change bumps the version, and the set is asked by every page of a scoped list.
 */
export interface PairingSet {
  /** Names the set among kept results (and its table, lib/id-sets.ts): the scope and region it stands for. */
  readonly key: string;
  readonly ids: readonly number[];
  /** The ids as a JSON array, bound as one parameter and read by `json_each`. */
  readonly json: string;
}

/** The live pairings with either side within the scope (a region prefix, null for all) and the region. */
export function pairingSetWithin(db: Db, prefix: string | null, region: string | undefined): PairingSet {
  const key = `pairings.set ${prefix ?? '*'} ${region ?? '*'}`;
  return remember(
    db,
    key,
    () => {
      const rows = db
        .select({ id: pairings.id })
        .from(pairings)
        .where(
          and(
            isNull(pairings.deletedAt),
            scopeOfPrefix(prefix),
            region ? or(codeWithin(pairings.assistingCode, region), codeWithin(pairings.assistedCode, region)) : undefined,
          ),
        )
        .orderBy(asc(pairings.id))
        .all();
      const ids = Object.freeze(rows.map((r) => r.id));
      return Object.freeze({ key, ids, json: JSON.stringify(ids) });
    },
    'structure',
  );
}

/** Both asked on every pairing page: prepared once, with or without the actor's scope bound (PAIRING_SCOPE_PLACEHOLDERS). */
const pairingById = preparedFor((db, scoped: boolean) =>
  viewQuery(db)
    .where(
      and(eq(pairings.id, sql.placeholder('id')), isNull(pairings.deletedAt), scoped ? PAIRING_SCOPE_PLACEHOLDERS : undefined),
    )
    .prepare(),
);
const childrenOf = preparedFor((db, scoped: boolean) =>
  viewQuery(db)
    .where(
      and(
        eq(pairings.parentId, sql.placeholder('id')),
        isNull(pairings.deletedAt),
        scoped ? PAIRING_SCOPE_PLACEHOLDERS : undefined,
      ),
    )
    .orderBy(asc(pairings.level), asc(pairings.assistingCode), asc(pairings.assistedCode), asc(pairings.id))
    .prepare(),
);

/** A live pairing, when the scope (a region prefix, null for all) reaches either side. */
export function findLivePairing(db: DbOrTx, id: number, prefix: string | null) {
  return pairingById(db, prefix !== null).get(prefix === null ? { id } : { id, ...prefixRange(prefix) });
}

/** The live child pairs within the scope (a region prefix, null for all). */
export function listChildren(db: DbOrTx, parentId: number, prefix: string | null) {
  return childrenOf(db, prefix !== null).all(prefix === null ? { id: parentId } : { id: parentId, ...prefixRange(prefix) });
}

/** Live pairings of exactly these two sides whose years overlap [start, end]. */
export function findOverlapping(
  db: DbOrTx,
  p: {
    assistingCode: string;
    assistingUnit: string | null;
    assistedCode: string;
    assistedUnit: string | null;
    startYear: number;
    endYear: number | null;
  },
  excludeId: number | undefined,
) {
  const sameUnit = (col: SQLiteColumn, v: string | null) => (v === null ? isNull(col) : eq(col, v));
  return db
    .select({ id: pairings.id, startYear: pairings.startYear, endYear: pairings.endYear })
    .from(pairings)
    .where(
      and(
        isNull(pairings.deletedAt),
        excludeId ? ne(pairings.id, excludeId) : undefined,
        eq(pairings.assistingCode, p.assistingCode),
        eq(pairings.assistedCode, p.assistedCode),
        sameUnit(pairings.assistingUnit, p.assistingUnit),
        sameUnit(pairings.assistedUnit, p.assistedUnit),
        p.endYear === null ? undefined : lte(pairings.startYear, p.endYear),
        or(isNull(pairings.endYear), gte(pairings.endYear, p.startYear)),
      ),
    )
    .get();
}

/** Live pairings at a level whose years reach the given year (callers check containment). */
export function listAtLevelFrom(db: DbOrTx, level: PairingLevel, year: number) {
  return db
    .select({
      id: pairings.id,
      assistingCode: pairings.assistingCode,
      assistedCode: pairings.assistedCode,
      startYear: pairings.startYear,
    })
    .from(pairings)
    .where(and(isNull(pairings.deletedAt), eq(pairings.level, level), or(isNull(pairings.endYear), gte(pairings.endYear, year))))
    .all();
}

export function insertPairing(db: DbOrTx, values: NewPairing) {
  return db.insert(pairings).values(values).returning().get();
}

export function updatePairingAt(db: DbOrTx, id: number, version: number, values: Partial<NewPairing>): boolean {
  return (
    db
      .update(pairings)
      .set({ ...values, version: version + 1, updatedAt: new Date() })
      .where(and(eq(pairings.id, id), eq(pairings.version, version)))
      .run().changes === 1
  );
}

export function getPairingRow(db: DbOrTx, id: number) {
  return db.select().from(pairings).where(eq(pairings.id, id)).get();
}

/** Every live pairing below the given ones (children, grandchildren …), with the root each hangs under. */
export function descendantsOf(db: DbOrTx, rootIds: readonly number[]) {
  if (rootIds.length === 0) return [];
  const roots = sql.join(
    rootIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return db.all<{ root: number; id: number; level: PairingLevel; startYear: number; endYear: number | null }>(sql`
    WITH RECURSIVE tree(root, id) AS (
      SELECT id, id FROM pairings WHERE id IN (${roots}) AND deleted_at IS NULL
      UNION ALL
      SELECT tree.root, p.id FROM pairings p JOIN tree ON p.parent_id = tree.id WHERE p.deleted_at IS NULL
    )
    SELECT tree.root AS root, p.id AS id, p.level AS level, p.start_year AS startYear, p.end_year AS endYear
    FROM tree JOIN pairings p ON p.id = tree.id`);
}

export function listDeleted(db: DbOrTx, limit: number) {
  return viewQuery(db).where(isNotNull(pairings.deletedAt)).orderBy(desc(pairings.deletedAt)).limit(limit).all();
}

/**
 * Whether anything hangs on a pairing: a child pair, an agreement or a record of any kind —
 * soft-deleted ones too, since a restore would bring them back under whatever the pairing became.
 * Read from the tables directly (as a foreign key would), so the pairings domain needs no other.
 */
export function hasContent(db: Db, id: number): boolean {
  const row = db.$client.prepare(HAS_CONTENT_SQL).get(Array(7).fill(id)) as { has: number };
  return row.has === 1;
}

/** Each EXISTS reads one index by pairing id (a plan test checks). */
export const HAS_CONTENT_SQL = `SELECT EXISTS (SELECT 1 FROM pairings WHERE parent_id = ?)
    OR EXISTS (SELECT 1 FROM agreements WHERE pairing_id = ? AND deleted_at IS NULL)
    OR EXISTS (SELECT 1 FROM funds WHERE pairing_id = ?)
    OR EXISTS (SELECT 1 FROM talents WHERE pairing_id = ?)
    OR EXISTS (SELECT 1 FROM projects WHERE pairing_id = ?)
    OR EXISTS (SELECT 1 FROM labour WHERE pairing_id = ?)
    OR EXISTS (SELECT 1 FROM consumption WHERE pairing_id = ?) AS has`;

/**
 * The ids of the live region pairs (not pair-ups, whose sides are units standing in those regions)
 * between exactly these two regions: how an import names a pair by its sides.
 */
export function pairingIdsBySides(db: DbOrTx, assistingCode: string, assistedCode: string): number[] {
  return db
    .select({ id: pairings.id })
    .from(pairings)
    .where(
      and(
        eq(pairings.assistingCode, assistingCode),
        eq(pairings.assistedCode, assistedCode),
        sql`${pairings.level} <> 'pairup'`,
        isNull(pairings.deletedAt),
      ),
    )
    .orderBy(asc(pairings.id))
    .limit(20)
    .all()
    .map((r) => r.id);
}

/** Live pairings of exactly these sides, level and units starting in this year (a pairing's natural key). */
export function pairingIdsByKey(
  db: DbOrTx,
  key: {
    level: string;
    assistingCode: string;
    assistedCode: string;
    assistingUnit: string | null;
    assistedUnit: string | null;
    startYear: number;
  },
): number[] {
  return db
    .select({ id: pairings.id })
    .from(pairings)
    .where(
      and(
        eq(pairings.level, key.level as PairingLevel),
        eq(pairings.assistingCode, key.assistingCode),
        eq(pairings.assistedCode, key.assistedCode),
        key.assistingUnit === null ? isNull(pairings.assistingUnit) : eq(pairings.assistingUnit, key.assistingUnit),
        key.assistedUnit === null ? isNull(pairings.assistedUnit) : eq(pairings.assistedUnit, key.assistedUnit),
        eq(pairings.startYear, key.startYear),
        isNull(pairings.deletedAt),
      ),
    )
    .limit(2)
    .all()
    .map((r) => r.id);
}

/** Removes a pairing for good: only an import's undo does, for a pairing it created that nothing hangs on. */
export function deletePairingRow(db: DbOrTx, id: number): void {
  db.delete(pairings).where(eq(pairings.id, id)).run();
}
