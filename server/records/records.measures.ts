import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { remember } from '../lib/data-version.ts';

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
  { key: 'transfers', unit: 'count' },
  { key: 'transfersUnconfirmed', unit: 'count' },
  { key: 'transfersMismatched', unit: 'count' },
] as const;

export type MeasureKey = (typeof MEASURES)[number]['key'];
export type Totals = Record<MeasureKey, number>;

export const emptyTotals = (): Totals => Object.fromEntries(MEASURES.map((m) => [m.key, 0])) as Totals;

/**
 * The per-table aggregates: each measure is SUM(expression) over a record table. Fixed SQL text,
 * never user input; kept next to MEASURES on purpose.
 */
const AGGREGATE_SUMS: { table: string; sums: [MeasureKey, string][] }[] = [
  {
    table: 'funds',
    sums: [
      ['fiscalFunds', "CASE WHEN r.kind = 'fiscal' THEN r.disbursed_fen ELSE 0 END"],
      ['socialFunds', "CASE WHEN r.kind = 'social' THEN r.disbursed_fen ELSE 0 END"],
      ['transfers', '1'],
      ['transfersUnconfirmed', "r.confirmation = 'unconfirmed'"],
      ['transfersMismatched', "r.confirmation = 'mismatch'"],
    ],
  },
  {
    table: 'talents',
    sums: [
      ['cadresSent', "CASE WHEN r.kind = 'cadre' AND r.direction = 'to_west' THEN r.people ELSE 0 END"],
      ['cadresReceived', "CASE WHEN r.kind = 'cadre' AND r.direction = 'to_east' THEN r.people ELSE 0 END"],
      ['professionalsSent', "CASE WHEN r.kind = 'professional' AND r.direction = 'to_west' THEN r.people ELSE 0 END"],
      ['professionalsReceived', "CASE WHEN r.kind = 'professional' AND r.direction = 'to_east' THEN r.people ELSE 0 END"],
      ['peopleTrained', "CASE WHEN r.kind = 'training' THEN coalesce(r.trained, 0) ELSE 0 END"],
    ],
  },
  {
    table: 'projects',
    sums: [
      ['enterprises', "r.kind = 'project' AND r.status IN ('building', 'operating')"],
      ['investment', 'r.actual_fen'],
      ['parks', "r.kind = 'park'"],
      ['workshops', "r.kind = 'workshop'"],
      ['jobsCreated', 'r.jobs_created'],
    ],
  },
  {
    table: 'labour',
    sums: [
      ['jobs', 'r.people'],
      ['jobsFormerlyPoor', 'r.formerly_poor'],
    ],
  },
  { table: 'consumption', sums: [['purchases', 'r.amount_fen']] },
];
const AGGREGATE_TEXT = AGGREGATE_SUMS.map(({ table, sums }) => ({
  table,
  columns: sums.map(([name, expr]) => `SUM(${expr}) AS ${name}`).join(', '),
}));

/**
 * `SUM(expression) AS key` for the given measures of one record table (its rows aliased `r`), for
 * other aggregates of the same measures (the charts' sums by province pair): the rule stays here.
 */
export function measureSums(table: string, keys: readonly MeasureKey[]): string {
  const sums = AGGREGATE_SUMS.find((a) => a.table === table)?.sums ?? [];
  return keys
    .map((key) => {
      const found = sums.find(([name]) => name === key);
      if (!found) throw new Error(`no measure ${key} in ${table}`);
      return `SUM(${found[1]}) AS ${key}`;
    })
    .join(', ');
}

/**
 * The pairing tree below the given roots, materialised first so that it drives every join: left
 * to itself, SQLite's planner starts from the record table's year index and reads every record of
 * the years asked (about 38 ms per table on the national dataset) instead of the few under a root.
 */
function treeOf(rootIds: readonly number[]): SQL {
  const roots = sql.join(
    rootIds.map((id) => sql`${id}`),
    sql`, `,
  );
  return sql`WITH RECURSIVE tree(root, id) AS MATERIALIZED (
      SELECT id, id FROM pairings WHERE id IN (${roots}) AND deleted_at IS NULL
      UNION ALL
      SELECT tree.root, p.id FROM pairings p JOIN tree ON p.parent_id = tree.id WHERE p.deleted_at IS NULL)`;
}

/** One record table's roll-up; CROSS JOIN keeps the tree as the outer loop (a plan test checks). */
export function rollUpQuery(table: string, rootIds: readonly number[], fromYear: number, toYear: number): SQL {
  const aggregate = AGGREGATE_TEXT.find((a) => a.table === table);
  if (!aggregate) throw new Error(`not a record table: ${table}`);
  // Table and column names are the fixed text above; only ids and years are bound parameters.
  return sql`${treeOf(rootIds)}
      SELECT tree.root AS root, r.year AS year, ${sql.raw(aggregate.columns)}
      FROM tree CROSS JOIN ${sql.raw(aggregate.table)} r ON r.pairing_id = tree.id
      WHERE r.deleted_at IS NULL AND r.year BETWEEN ${fromYear} AND ${toYear}
      GROUP BY tree.root, r.year`;
}

/** Pair-ups below each root with their years (a pair-up counts in each year it is in force). */
export function pairupsQuery(rootIds: readonly number[]): SQL {
  return sql`${treeOf(rootIds)}
    SELECT tree.root AS root, p.start_year AS startYear, p.end_year AS endYear
    FROM tree CROSS JOIN pairings p ON p.id = tree.id WHERE p.level = 'pairup'`;
}

/**
 * Totals per root pairing and year, each root counting its own records and those of every pairing
 * below it. One aggregate query per record table, whatever the number of roots and years. Kept
 * per data version (see lib/data-version.ts): read-only for callers.
 */
export function totalsByRootAndYear(
  db: Db,
  rootIds: readonly number[],
  fromYear: number,
  toYear: number,
): ReadonlyMap<number, ReadonlyMap<number, Readonly<Totals>>> {
  if (rootIds.length === 0) return new Map();
  return remember(db, `${fromYear}:${toYear}:${rootIds.join(',')}`, () => computeTotals(db, rootIds, fromYear, toYear));
}

function computeTotals(db: Db, rootIds: readonly number[], fromYear: number, toYear: number) {
  const out = new Map<number, Map<number, Totals>>();
  const slot = (root: number, year: number) => {
    let years = out.get(root);
    if (!years) out.set(root, (years = new Map()));
    let totals = years.get(year);
    if (!totals) years.set(year, (totals = emptyTotals()));
    return totals;
  };
  for (const { table } of AGGREGATE_TEXT) {
    for (const row of db.all<Record<string, number | null>>(rollUpQuery(table, rootIds, fromYear, toYear))) {
      const totals = slot(Number(row.root), Number(row.year));
      for (const [k, v] of Object.entries(row)) if (k !== 'root' && k !== 'year') totals[k as MeasureKey] += Number(v ?? 0);
    }
  }
  for (const p of db.all<{ root: number; startYear: number; endYear: number | null }>(pairupsQuery(rootIds))) {
    for (let y = Math.max(p.startYear, fromYear); y <= Math.min(p.endYear ?? toYear, toYear); y++) slot(p.root, y).pairups += 1;
  }
  return out;
}

/** Measure names of each aggregate's columns, in order (parsed once from the fixed SQL text). */
const aggregateNames = AGGREGATE_SUMS.map(({ sums }) => sums.map(([name]) => name));

const statements = new WeakMap<object, { one: (year: number) => unknown[][] }[]>();
/**
 * The per-pairing aggregates as prepared statements returning plain arrays (the hot path of the
 * assessment), one year at a time.
 */
function pairingAggregates(db: Db) {
  let list = statements.get(db.$client);
  if (!list) {
    list = AGGREGATE_SUMS.map(({ table, sums }) => {
      // fixed text from AGGREGATE_SUMS; the years are bound parameters
      const columns = sums.map(([name, expr]) => `SUM(${expr}) AS ${name}`).join(', ');
      const one = db.$client
        .prepare(
          `SELECT r.pairing_id, ${columns} FROM ${table} r WHERE r.deleted_at IS NULL AND r.year = ? GROUP BY r.pairing_id`,
        )
        .raw(true);
      return { one: (y: number) => one.all(y) as unknown[][] };
    });
    statements.set(db.$client, list);
  }
  return list;
}

/** Position of each measure in the typed arrays of the assessment's hot path. */
export const MEASURE_INDEX = new Map<MeasureKey, number>(MEASURES.map((m, i) => [m.key, i]));
const columnIndexes = aggregateNames.map((names) => names.map((n) => MEASURE_INDEX.get(n)!));

/**
 * Totals of each pairing's own records (no roll-up) for a year and the one before, as two
 * Float64Arrays (previous, current) indexed by MEASURE_INDEX: one grouped pass per record table
 * over both years, no object per row.
 */
export function totalsByPairing(db: Db, year: number): Map<number, [Float64Array, Float64Array]> {
  const out = new Map<number, [Float64Array, Float64Array]>();
  pairingAggregates(db).forEach((stmt, i) => {
    const columns = columnIndexes[i]!;
    const n = columns.length;
    // two plain single-year passes are cheaper than one pass with a CASE per column
    for (const [slot, y] of [
      [0, year - 1],
      [1, year],
    ] as const) {
      for (const row of stmt.one(y)) {
        const id = row[0] as number;
        let pair = out.get(id);
        if (!pair) out.set(id, (pair = [new Float64Array(MEASURES.length), new Float64Array(MEASURES.length)]));
        const totals = pair[slot];
        for (let k = 0; k < n; k++) totals[columns[k]!]! += (row[1 + k] as number | null) ?? 0;
      }
    }
  });
  return out;
}

/** The raw aggregation pass the assessment benchmark compares against: one year, all tables. */
export function rawYearPass(db: Db, year: number): number {
  return pairingAggregates(db).reduce((n, stmt) => n + stmt.one(year).length, 0);
}

/**
 * One record table's own totals for each pairing of a set in a year (no roll-up): the set is
 * bound as a JSON array and drives the join through `(pairing_id, year)` (a plan test checks).
 */
export function setTotalsQuery(table: string, idsJson: string, year: number): SQL {
  const aggregate = AGGREGATE_TEXT.find((a) => a.table === table);
  if (!aggregate) throw new Error(`not a record table: ${table}`);
  return sql`SELECT r.pairing_id AS id, SUM(r.side = 'assisting') AS nAssisting, SUM(r.side = 'assisted') AS nAssisted,
      ${sql.raw(aggregate.columns)}
      FROM json_each(${idsJson}) s CROSS JOIN ${sql.raw(aggregate.table)} r ON r.pairing_id = s.value AND r.year = ${year}
      WHERE r.deleted_at IS NULL
      GROUP BY r.pairing_id`;
}

export interface SetTotals {
  /** Rolled up within the set. */
  totals: Map<number, Totals>;
  /** How many live records each side entered under the pairing itself in the year (all kinds). */
  entered: Map<number, { assisting: number; assisted: number }>;
}

/**
 * Each pairing's totals for a year, rolled up within the set: a pairing counts its own records
 * and those of every pairing of the set below it (a scope holds the pairings below each of its
 * pairings, so within a scope this equals totalsByRootAndYear). `parents` maps each id of the set
 * to its parent, level and years (a pair-up counts in each year it is in force). Not kept here:
 * callers keep the result per data version.
 */
export function rolledUpTotalsOfSet(
  db: Db,
  ids: readonly number[],
  pairs: ReadonlyMap<number, { parentId: number | null; level: string; startYear: number; endYear: number | null }>,
  year: number,
): SetTotals {
  const own = new Map<number, Totals>();
  const entered = new Map<number, { assisting: number; assisted: number }>();
  const json = JSON.stringify(ids);
  for (const { table } of AGGREGATE_TEXT) {
    for (const row of db.all<Record<string, number | null>>(setTotalsQuery(table, json, year))) {
      const { id: rawId, nAssisting, nAssisted, ...sums } = row;
      const id = Number(rawId);
      let totals = own.get(id);
      if (!totals) own.set(id, (totals = emptyTotals()));
      for (const [k, v] of Object.entries(sums)) totals[k as MeasureKey] += Number(v ?? 0);
      const n = entered.get(id) ?? { assisting: 0, assisted: 0 };
      n.assisting += Number(nAssisting ?? 0);
      n.assisted += Number(nAssisted ?? 0);
      entered.set(id, n);
    }
  }
  for (const [id, p] of pairs) {
    if (p.level !== 'pairup' || p.startYear > year || (p.endYear !== null && p.endYear < year)) continue;
    let totals = own.get(id);
    if (!totals) own.set(id, (totals = emptyTotals()));
    totals.pairups += 1;
  }
  const out = new Map<number, Totals>(ids.map((id) => [id, emptyTotals()]));
  for (const [id, totals] of own) {
    // each pairing adds its own totals to itself and to every ancestor within the set (4 levels at most)
    for (
      let at: number | null | undefined = id, hops = 0;
      at !== null && at !== undefined && hops < 5;
      at = pairs.get(at)?.parentId, hops++
    ) {
      const into = out.get(at);
      if (!into) break;
      for (const m of MEASURES) into[m.key] += totals[m.key];
    }
  }
  return { totals: out, entered };
}
