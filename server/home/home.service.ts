import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';

/** True when the database answers a query on a real table (not just that the file is open). */
export function databaseIsHealthy(db: Db): boolean {
  try {
    return db.get<{ ok: number }>(sql`SELECT 1 AS ok FROM regions LIMIT 1`)?.ok === 1;
  } catch {
    return false;
  }
}
