import type { Db } from '../../db/client.ts';
import { seedDataset } from '../../server/demo/demo.data.ts';
import { buildDb } from './app.ts';

/**
 * A national-like dataset, smaller (about 1,000 pairings and 56,000 records): big enough, with
 * statistics gathered, for SQLite to choose the plans it chooses on the national one.
 */
export function buildNationalLike(): Db {
  const db = buildDb();
  seedDataset(db, {
    seed: 7,
    firstYear: 2016,
    lastYear: 2025,
    countiesPerPrefecture: 2,
    partnersPerCounty: 1,
    pairupsPerCounty: 3,
    recordDensity: 2,
    history: false,
  });
  db.$client.exec('ANALYZE');
  return db;
}
