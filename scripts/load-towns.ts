/**
 * npm run regions:load-towns [-- --villages]
 * Loads townships (about 41k) and, with --villages, villages (about 620k) for pair-ups below counties.
 */
import { parseArgs } from 'node:util';
import { createDb, migrateDb } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';
import { loadRegionTree, loadTownsAndVillages } from '../server/regions/regions.loader.ts';

const { values } = parseArgs({ options: { villages: { type: 'boolean', default: false } } });
const config = loadConfig();
const db = createDb(config.databasePath);
migrateDb(db);
loadRegionTree(db);
const started = performance.now();
const counts = loadTownsAndVillages(db, { villages: values.villages });
console.log(`loaded ${counts.towns} towns and ${counts.villages} villages in ${Math.round(performance.now() - started)} ms`);
db.$client.close();
