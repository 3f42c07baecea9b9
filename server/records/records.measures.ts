import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/**
 * The measures of a pairing's year, each summed over the pairing and everything below it.
 * `target` names the agreement column it is compared with. The assessment reuses these keys.
 */
export const MEASURES = [
  { key: 'fiscalFunds', unit: 'money', target: 'fiscalFundsFen' },
  { key: 'socialFunds', unit: 'money', target: 'socialFundsFen' },
  { key: 'cadresSent', unit: 'people', target: 'cadres' },
  { key: 'cadresReceived', unit: 'people' },
  { key: 'professionalsSent', unit: 'people', target: 'professionals' },
  { key: 'professionalsReceived', unit: 'people' },
  { key: 'peopleTrained', unit: 'people', target: 'peopleTrained' },
  { key: 'enterprises', unit: 'count', target: 'enterprises' },
  { key: 'investment', unit: 'money', target: 'investmentFen' },
  { key: 'parks', unit: 'count' },
  { key: 'workshops', unit: 'count' },
  { key: 'jobsCreated', unit: 'people' },
  { key: 'jobs', unit: 'people', target: 'jobs' },
  { key: 'jobsFormerlyPoor', unit: 'people' },
  { key: 'purchases', unit: 'money', target: 'purchasesFen' },
  { key: 'pairups', unit: 'count', target: 'pairups' },
  { key: 'transfersUnconfirmed', unit: 'count' },
  { key: 'transfersMismatched', unit: 'count' },
] as const;

export type MeasureKey = (typeof MEASURES)[number]['key'];
export type Totals = Record<MeasureKey, number>;

export const emptyTotals = (): Totals => Object.fromEntries(MEASURES.map((m) => [m.key, 0])) as Totals;

/** The per-table aggregates (fixed SQL text); every column is a measure key. Kept next to MEASURES on purpose. */
const AGGREGATES: { table: SQL; columns: SQL }[] = [
  {
    table: sql.raw('funds'),
    columns: sql.raw(`SUM(CASE WHEN r.kind = 'fiscal' THEN r.disbursed_fen ELSE 0 END) AS fiscalFunds,
              SUM(CASE WHEN r.kind = 'social' THEN r.disbursed_fen ELSE 0 END) AS socialFunds,
              SUM(r.confirmation = 'unconfirmed') AS transfersUnconfirmed,
              SUM(r.confirmation = 'mismatch') AS transfersMismatched`),
  },
  {
    table: sql.raw('talents'),
    columns: sql.raw(`SUM(CASE WHEN r.kind = 'cadre' AND r.direction = 'to_west' THEN r.people ELSE 0 END) AS cadresSent,
              SUM(CASE WHEN r.kind = 'cadre' AND r.direction = 'to_east' THEN r.people ELSE 0 END) AS cadresReceived,
              SUM(CASE WHEN r.kind = 'professional' AND r.direction = 'to_west' THEN r.people ELSE 0 END) AS professionalsSent,
              SUM(CASE WHEN r.kind = 'professional' AND r.direction = 'to_east' THEN r.people ELSE 0 END) AS professionalsReceived,
              SUM(CASE WHEN r.kind = 'training' THEN coalesce(r.trained, 0) ELSE 0 END) AS peopleTrained`),
  },
  {
    table: sql.raw('projects'),
    columns: sql.raw(`SUM(r.kind = 'project' AND r.status IN ('building', 'operating')) AS enterprises,
              SUM(r.actual_fen) AS investment,
              SUM(r.kind = 'park') AS parks,
              SUM(r.kind = 'workshop') AS workshops,
              SUM(r.jobs_created) AS jobsCreated`),
  },
  { table: sql.raw('labour'), columns: sql.raw('SUM(r.people) AS jobs, SUM(r.formerly_poor) AS jobsFormerlyPoor') },
  { table: sql.raw('consumption'), columns: sql.raw('SUM(r.amount_fen) AS purchases') },
];

function treeOf(rootIds: readonly number[]): SQL {
  const roots = sql.join(
    rootIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return sql`WITH RECURSIVE tree(root, id) AS (
      SELECT id, id FROM pairings WHERE id IN (${roots}) AND deleted_at IS NULL
      UNION ALL
      SELECT tree.root, p.id FROM pairings p JOIN tree ON p.parent_id = tree.id WHERE p.deleted_at IS NULL)`;
}

/**
 * Totals per root pairing and year, each root counting its own records and those of every pairing
 * below it. One aggregate query per record table, whatever the number of roots and years.
 */
export function totalsByRootAndYear(
  db: Db,
  rootIds: readonly number[],
  fromYear: number,
  toYear: number,
): Map<number, Map<number, Totals>> {
  const out = new Map<number, Map<number, Totals>>();
  if (rootIds.length === 0) return out;
  const slot = (root: number, year: number) => {
    let years = out.get(root);
    if (!years) out.set(root, (years = new Map()));
    let totals = years.get(year);
    if (!totals) years.set(year, (totals = emptyTotals()));
    return totals;
  };
  for (const { table, columns } of AGGREGATES) {
    // Table and column names are the fixed text above; only ids and years are bound parameters.
    const rows = db.all<Record<string, number | null>>(sql`${treeOf(rootIds)}
      SELECT tree.root AS root, r.year AS year, ${columns}
      FROM ${table} r JOIN tree ON r.pairing_id = tree.id
      WHERE r.deleted_at IS NULL AND r.year BETWEEN ${fromYear} AND ${toYear}
      GROUP BY tree.root, r.year`);
    for (const row of rows) {
      const totals = slot(Number(row.root), Number(row.year));
      for (const [k, v] of Object.entries(row)) if (k !== 'root' && k !== 'year') totals[k as MeasureKey] += Number(v ?? 0);
    }
  }
  // Pair-ups in force in a year, below each root.
  const pairups = db.all<{ root: number; startYear: number; endYear: number | null }>(sql`${treeOf(rootIds)}
    SELECT tree.root AS root, p.start_year AS startYear, p.end_year AS endYear
    FROM tree JOIN pairings p ON p.id = tree.id WHERE p.level = 'pairup'`);
  for (const p of pairups) {
    for (let y = Math.max(p.startYear, fromYear); y <= Math.min(p.endYear ?? toYear, toYear); y++) slot(p.root, y).pairups += 1;
  }
  return out;
}
