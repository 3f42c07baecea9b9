/**
 * npm run seed:national [-- --db data/national.db]
 * A national-scale dataset for benchmarks: about 1,000+ county pairs, 10,000+ pair-ups and
 * 500,000+ records over the 10 years 2016–2025. Always builds a fresh database file.
 */
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDb, migrateDb, optimizeDb } from '../db/client.ts';
import { seedDataset } from '../server/demo/demo.data.ts';
import { seedDemo } from '../server/demo/demo.seed.ts';
import { loadRegionTree } from '../server/regions/regions.loader.ts';

export const NATIONAL_OPTIONS = {
  seed: 1996,
  firstYear: 2016,
  lastYear: 2025,
  countiesPerPrefecture: 6,
  partnersPerCounty: 2,
  pairupsPerCounty: 10,
  recordDensity: 4,
  history: false,
};

const { values } = parseArgs({ options: { db: { type: 'string', default: 'data/national.db' } } });
for (const suffix of ['', '-wal', '-shm']) rmSync(`${values.db}${suffix}`, { force: true });
const db = createDb(values.db);
// each insert fires a data-version trigger (migration 0005), so each statement keeps a statement
// journal: in memory it costs ~1 s over the 618k inserts, in a temporary file ~8 s
db.$client.pragma('temp_store = MEMORY');
migrateDb(db);
loadRegionTree(db);
const started = performance.now();
const counts = seedDataset(db, NATIONAL_OPTIONS);
const ms = Math.round(performance.now() - started);
await seedDemo(db, process.env.DEMO_PASSWORD);
// statistics for the planner, as the app gathers them at start
optimizeDb(db);
const pairups = (db.$client.prepare("SELECT count(*) AS n FROM pairings WHERE level = 'pairup'").get() as { n: number }).n;
console.log(
  `national dataset in ${values.db}: ${counts.pairings} pairings (${counts.countyPairs} county pairs, ${pairups} pair-ups), ${counts.records} records, ${ms} ms`,
);
db.$client.close();
