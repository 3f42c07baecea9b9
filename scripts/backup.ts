/**
 * npm run db:backup [-- --to backups/app-2026-11-24.db]
 * Copies the database with SQLite's online backup API: safe while the app is running.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createDb } from '../db/client.ts';
import { loadConfig } from '../server/config.ts';

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const { values } = parseArgs({ options: { to: { type: 'string', default: `backups/app-${stamp}.db` } } });
const config = loadConfig();
const db = createDb(config.databasePath);
mkdirSync(dirname(values.to), { recursive: true });
const started = performance.now();
await db.$client.backup(values.to);
console.log(`backed up ${config.databasePath} to ${values.to} in ${Math.round(performance.now() - started)} ms`);
db.$client.close();
