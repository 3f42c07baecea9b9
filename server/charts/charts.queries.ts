import type { Db } from '../../db/client.ts';
import { remember } from '../lib/data-version.ts';
import { measureSums, type MeasureKey } from '../records/records.service.ts';
import { prefixRange } from '../regions/regions.service.ts';

/**
 * The charts' aggregates between provinces. Each measure is the records domain's own sum
 * (records.measures.ts: `measureSums`), grouped by the provinces of the pairing's two sides (the
 * first two digits of a GB/T 2260 code). Each record counts once, whatever the level of its pairing.
 *
 * Two shapes: the whole country walks the year's records by the record table's year index; a
 * region walks its pairings by the side indexes, then their records by (pairing, year), so it never
 * reads another region's records. Plans asserted in test/unit/plans-charts.test.ts.
 */

/** What a chart can sum between provinces: a record table and measures of it. */
export const FLOW_MEASURES = {
  funds: { table: 'funds', sums: ['fiscalFunds', 'socialFunds'], unit: 'money' },
  talents: { table: 'talents', sums: ['cadresSent', 'professionalsSent'], unit: 'people' },
} as const satisfies Record<string, { table: string; sums: readonly MeasureKey[]; unit: 'money' | 'people' }>;
export type FlowMeasure = keyof typeof FLOW_MEASURES;

/**
 * The pairings within a region prefix (either side), each once: those assisting from it, then
 * those assisted in it that the first part did not take. UNION ALL, not UNION: a UNION's merge
 * wants the ids in order, for which SQLite would rather scan every pairing than search two indexes.
 */
const SCOPED = `WITH scoped(id) AS MATERIALIZED (
    SELECT id FROM pairings WHERE assisting_code >= @lo AND assisting_code < @hi AND deleted_at IS NULL
    UNION ALL
    SELECT id FROM pairings WHERE assisted_code >= @lo AND assisted_code < @hi AND deleted_at IS NULL
      AND NOT (assisting_code >= @lo AND assisting_code < @hi))`;

/** A year's sums per pair of provinces (assisting `a`, assisted `b`: two-digit prefixes). */
export function flowsSql(measure: FlowMeasure, scoped: boolean): string {
  const { table, sums } = FLOW_MEASURES[measure];
  const columns = measureSums(table, sums);
  const pair = 'substr(p.assisting_code, 1, 2) AS a, substr(p.assisted_code, 1, 2) AS b';
  return scoped
    ? `${SCOPED}
      SELECT ${pair}, ${columns}
      FROM scoped CROSS JOIN pairings p ON p.id = scoped.id CROSS JOIN ${table} r ON r.pairing_id = scoped.id AND r.year = @year
      WHERE r.deleted_at IS NULL GROUP BY a, b`
    : `SELECT ${pair}, ${columns}
      FROM ${table} r JOIN pairings p ON p.id = r.pairing_id
      WHERE r.year = @year AND r.deleted_at IS NULL AND p.deleted_at IS NULL GROUP BY a, b`;
}

/** The sums per year over a span of years. */
export function byYearSql(measure: FlowMeasure, scoped: boolean): string {
  const { table, sums } = FLOW_MEASURES[measure];
  const columns = measureSums(table, sums);
  return scoped
    ? `${SCOPED}
      SELECT r.year AS year, ${columns}
      FROM scoped CROSS JOIN ${table} r ON r.pairing_id = scoped.id AND r.year BETWEEN @from AND @to
      WHERE r.deleted_at IS NULL GROUP BY r.year ORDER BY r.year`
    : `SELECT r.year AS year, ${columns}
      FROM ${table} r JOIN pairings p ON p.id = r.pairing_id
      WHERE r.year BETWEEN @from AND @to AND r.deleted_at IS NULL AND p.deleted_at IS NULL GROUP BY r.year ORDER BY r.year`;
}

export interface Flow {
  /** Province codes (six digits) of the assisting and assisted sides. */
  from: string;
  to: string;
  /** The measure's sums, in the order of FLOW_MEASURES[measure].sums. */
  values: number[];
}

const scopeParams = (prefix: string | null) => (prefix === null ? {} : prefixRange(prefix));

/** A year's flows between provinces within a region prefix (null: the country); kept per data version. */
export function flowsBetweenProvinces(db: Db, measure: FlowMeasure, year: number, prefix: string | null): readonly Flow[] {
  return remember(db, `charts flows ${measure} ${year} ${prefix ?? '*'}`, () => {
    const rows = db.$client.prepare(flowsSql(measure, prefix !== null)).all({ year, ...scopeParams(prefix) }) as Record<
      string,
      string | number | null
    >[];
    const sums = FLOW_MEASURES[measure].sums;
    return rows.map((r) => ({
      from: `${String(r.a)}0000`,
      to: `${String(r.b)}0000`,
      values: sums.map((k) => Number(r[k] ?? 0)),
    }));
  });
}

/** The measure's sums per year within a region prefix (null: the country); kept per data version. */
export function sumsByYear(
  db: Db,
  measure: FlowMeasure,
  from: number,
  to: number,
  prefix: string | null,
): readonly { year: number; values: number[] }[] {
  return remember(db, `charts years ${measure} ${from}-${to} ${prefix ?? '*'}`, () => {
    const rows = db.$client.prepare(byYearSql(measure, prefix !== null)).all({ from, to, ...scopeParams(prefix) }) as Record<
      string,
      number | null
    >[];
    const sums = FLOW_MEASURES[measure].sums;
    return rows.map((r) => ({ year: Number(r.year), values: sums.map((k) => Number(r[k] ?? 0)) }));
  });
}
