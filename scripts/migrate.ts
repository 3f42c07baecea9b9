/** npm run db:migrate — applies pending migrations and loads the region tree if it is empty. */
import { createDb, migrateDb } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';
import { loadRegionTree } from '../server/regions/regions.loader.ts';

const config = loadConfig();
const db = createDb(config.databasePath);
migrateDb(db);
const loaded = loadRegionTree(db);
console.log(`migrated ${config.databasePath}${loaded ? `; loaded ${loaded} regions` : ''}`);
db.$client.close();
