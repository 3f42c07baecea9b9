import { and, asc, count, eq, inArray, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regions, type RegionLevel, type Zone } from '../../db/schema/index.ts';
import { codeWithin } from './regions.scope.ts';
import { containsPattern, likeEscaped } from '../lib/like.ts';

export type Region = typeof regions.$inferSelect;

export function findRegion(db: DbOrTx, code: string): Region | undefined {
  return db.select().from(regions).where(eq(regions.code, code)).get();
}

/**
 * Regions directly below each listed one. The outer column is named with its table: drizzle writes
 * `${regions.code}` as a bare "code", which inside the subquery is the alias c's own code (every
 * count was 0). Counted on the parent index (regions_parent_idx).
 */
const childCount = sql`(SELECT count(*) FROM regions c WHERE c.parent_code = "regions"."code")`;

/** The query of listChildren, built but not run (its plan is asserted in a test). */
export function childrenQuery(db: DbOrTx, parentCode: string) {
  const child = childCount;
  return db
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      zone: regions.zone,
      childCount: child.mapWith(Number),
    })
    .from(regions)
    .where(eq(regions.parentCode, parentCode))
    .orderBy(asc(regions.code));
}

export function listChildren(db: DbOrTx, parentCode: string) {
  return childrenQuery(db, parentCode).all();
}

/** The query of listProvinces, built but not run. */
export function provincesQuery(db: DbOrTx) {
  const child = childCount;
  return db
    .select({ code: regions.code, name: regions.name, zone: regions.zone, childCount: child.mapWith(Number) })
    .from(regions)
    .where(eq(regions.level, 'province'))
    .orderBy(asc(regions.code));
}

export function listProvinces(db: DbOrTx) {
  return provincesQuery(db).all();
}

/** The chain from the province down to (and without) the region itself, by code. */
export function listAncestors(db: DbOrTx, region: Region): Region[] {
  const out: Region[] = [];
  let parent = region.parentCode;
  while (parent) {
    const r = findRegion(db, parent);
    if (!r) break;
    out.unshift(r);
    parent = r.parentCode;
  }
  return out;
}

export function countByLevel(db: DbOrTx): Record<RegionLevel, number> {
  const rows = db.select({ level: regions.level, n: count() }).from(regions).groupBy(regions.level).all();
  const out: Record<RegionLevel, number> = { province: 0, prefecture: 0, county: 0, town: 0, village: 0 };
  for (const r of rows) out[r.level] = r.n;
  return out;
}

/**
 * Digits search a code prefix (5206 → 铜仁市 and its counties); anything else searches names.
 * Province, prefecture and county levels only: towns and villages are looked up under a county.
 */
function searchWhere(query: string) {
  const levels = or(eq(regions.level, 'province'), eq(regions.level, 'prefecture'), eq(regions.level, 'county'));
  const pattern = containsPattern(query);
  const match = /^\d+$/.test(query) ? codeWithin(regions.code, query) : likeEscaped(regions.fullName, pattern);
  return and(levels, match);
}

export function countSearch(db: DbOrTx, query: string): number {
  return db.select({ n: count() }).from(regions).where(searchWhere(query)).get()?.n ?? 0;
}

export function searchRegions(db: DbOrTx, query: string, limit: number, offset: number) {
  return db
    .select({ code: regions.code, name: regions.name, level: regions.level, fullName: regions.fullName })
    .from(regions)
    .where(searchWhere(query))
    .orderBy(asc(regions.code))
    .limit(limit)
    .offset(offset)
    .all();
}

export function updateZone(db: DbOrTx, code: string, zone: Zone): void {
  db.update(regions).set({ zone }).where(eq(regions.code, code)).run();
}

export function findRegionsByCode(db: DbOrTx, codes: readonly string[]): Region[] {
  if (codes.length === 0) return [];
  return db
    .select()
    .from(regions)
    .where(inArray(regions.code, [...codes]))
    .all();
}

/** Regions of this exact name, under a parent when one is given (the name index; for imports). */
export function findRegionsByName(db: DbOrTx, name: string, parentCode?: string | null): Region[] {
  return db
    .select()
    .from(regions)
    .where(
      and(
        eq(regions.name, name),
        parentCode === undefined
          ? undefined
          : parentCode === null
            ? sql`${regions.parentCode} IS NULL`
            : eq(regions.parentCode, parentCode),
      ),
    )
    .orderBy(asc(regions.code))
    .limit(20)
    .all();
}

/**
 * The province, prefecture and county divisions (or those a search matches), with their parent and
 * their province's collaboration zone, in code order: the code table offices keep beside their
 * spreadsheets.
 */
export function regionTable(db: DbOrTx, query: string | undefined) {
  return db
    .select({
      code: regions.code,
      name: regions.name,
      level: regions.level,
      fullName: regions.fullName,
      parentCode: regions.parentCode,
      // written out: drizzle names a column of a one-table query without its table, which here would be p's
      zone: sql<string | null>`(SELECT p.zone FROM regions p WHERE p.code = regions.province_code)`,
    })
    .from(regions)
    .where(
      query
        ? searchWhere(query)
        : or(eq(regions.level, 'province'), eq(regions.level, 'prefecture'), eq(regions.level, 'county')),
    )
    .orderBy(asc(regions.code))
    .all();
}

/**
 * Province, prefecture and county divisions whose name starts with the text ("昆山" → 昆山市), by
 * the name index (a range, not LIKE), in code order.
 */
export function regionsByNameStart(db: DbOrTx, start: string, limit: number) {
  return db
    .select({ code: regions.code, name: regions.name, level: regions.level, fullName: regions.fullName })
    .from(regions)
    .where(
      and(
        sql`${regions.name} >= ${start} AND ${regions.name} < ${`${start}\uffff`}`,
        or(eq(regions.level, 'province'), eq(regions.level, 'prefecture'), eq(regions.level, 'county')),
      ),
    )
    .orderBy(asc(regions.code))
    .limit(limit)
    .all();
}
