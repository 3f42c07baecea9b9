/**
 * npm run bench:scorecards [-- --db data/national.db --year 2024 --runs 5]
 * Times computing every scorecard of one year against one raw SQL aggregation pass over that year's
 * records, on the national dataset (built first if the file is missing), and prints `ratio: X`.
 * The framework scores every province (both sides), every prefecture in a city pair and every
 * county pair: about 1,400 objects × 14 indicators.
 */
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createDb, migrateDb } from '../db/client.ts';
import { defaultFramework } from '../server/assessment/assessment.defaults.ts';
import { computeYear } from '../server/assessment/assessment.service.ts';
import { rawYearPass } from '../server/records/records.service.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/national.db' },
    year: { type: 'string', default: '2024' },
    runs: { type: 'string', default: '11' },
  },
});
const year = Number(values.year);
const runs = Number(values.runs);
if (!existsSync(values.db))
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/seed-national.ts', '--db', values.db], { stdio: 'inherit' });

const db = createDb(values.db);
migrateDb(db);
const c = db.$client;
const cities = c
  .prepare("SELECT DISTINCT assisting_code AS a, assisted_code AS b FROM pairings WHERE level = 'city' AND deleted_at IS NULL")
  .all() as { a: string; b: string }[];
const counties = c.prepare("SELECT id FROM pairings WHERE level = 'county' AND deleted_at IS NULL").all() as { id: number }[];
const doc = defaultFramework(year, []);
doc.objects.groups.push(
  {
    key: 'east.cities',
    name: '帮扶城市',
    side: 'assisting',
    members: [...new Set(cities.map((r) => r.a))].map((code) => ({ kind: 'region', code })),
  },
  {
    key: 'west.cities',
    name: '受援地市',
    side: 'assisted',
    members: [...new Set(cities.map((r) => r.b))].map((code) => ({ kind: 'region', code })),
  },
  { key: 'counties', name: '县级结对', side: 'assisted', members: counties.map((r) => ({ kind: 'pairing', pairingId: r.id })) },
);
c.prepare('DELETE FROM assessment_frameworks WHERE year = ?').run(year);
c.prepare('INSERT INTO assessment_frameworks (year, doc) VALUES (?, ?)').run(year, JSON.stringify(doc));
const records = (
  c
    .prepare(
      'SELECT (SELECT count(*) FROM funds WHERE year = @y) + (SELECT count(*) FROM talents WHERE year = @y) + (SELECT count(*) FROM projects WHERE year = @y) + (SELECT count(*) FROM labour WHERE year = @y) + (SELECT count(*) FROM consumption WHERE year = @y) AS n',
    )
    .get({ y: year }) as { n: number }
).n;

/**
 * Interleaved timing: each variant is warmed up three times (page cache, prepared statements, JIT),
 * then the variants run in turn `runs` times, so drift on a shared machine hits them all alike.
 */
function timeAll(variants: Record<string, () => unknown>): Record<string, number> {
  for (const fn of Object.values(variants)) for (let i = 0; i < 3; i++) fn();
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (let r = 0; r < runs; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const t = performance.now();
      fn();
      times[name]!.push(performance.now() - t);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.sort((a, b) => a - b)[Math.floor(runs / 2)]!]));
}

const { raw, scorecards, withPrevious } = timeAll({
  raw: () => rawYearPass(db, year),
  scorecards: () => computeYear(db, year, false),
  withPrevious: () => computeYear(db, year, true),
}) as { raw: number; scorecards: number; withPrevious: number };
const objects = computeYear(db, year, false).groups.reduce((n, g) => n + g.objects.length, 0);
console.log(
  `dataset: ${values.db}, year ${year}: ${records} records, ${objects} scorecards × ${doc.content.indicators.length} indicators`,
);
console.log(`raw SQL aggregation pass over the year's records: ${raw.toFixed(1)} ms (median of ${runs})`);
console.log(
  `every scorecard of the year (values for the year and the previous one, scores, grades, ranks): ${scorecards.toFixed(1)} ms`,
);
console.log(
  `  … also recomputing last year's results live for the rank arrows (no published round): ${withPrevious.toFixed(1)} ms`,
);
console.log(`ratio: ${(scorecards / raw).toFixed(2)}`);
db.$client.close();
