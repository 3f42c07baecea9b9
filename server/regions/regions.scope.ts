import { prefixOfCode } from '../lib/region-codes.ts';
import { and, gte, lt, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { RegionLevel } from '../../db/schema/index.ts';

const SIGNIFICANT_DIGITS: Record<RegionLevel, number> = {
  province: 2,
  prefecture: 4,
  county: 6,
  town: 9,
  village: 12,
};

/**
 * The code prefix shared by a region and everything below it: 江苏省 320000 → "32",
 * 苏州市 320500 → "3205". Municipalities' districts (110101) sit directly under their province
 * and still share its prefix, because we drop the package's 市辖区 placeholders.
 */
export function scopePrefix(region: { code: string; level: RegionLevel }): string {
  return region.code.slice(0, SIGNIFICANT_DIGITS[region.level]);
}

/**
 * A where-clause for "this column holds a region code within the prefix". A range instead of
 * LIKE so SQLite can use the index; ':' is the character right after '9'.
 */
export function codeWithin(column: SQLiteColumn, prefix: string): SQL {
  const { lo, hi } = prefixRange(prefix);
  return and(gte(column, lo), lt(column, hi)) as SQL;
}

/** The codes within a prefix as a range [lo, hi): for queries that bind them (prepared ones). */
export function prefixRange(prefix: string): { lo: string; hi: string } {
  return { lo: prefix, hi: `${prefix}:` };
}

export function isWithin(code: string, prefix: string): boolean {
  return code.startsWith(prefix);
}

/** True when `code` lies within (or is) the region `container`. */
export function contains(container: string, code: string): boolean {
  return code.startsWith(prefixOfCode(container));
}

export { prefixOfCode };
