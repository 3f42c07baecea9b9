import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * A counter per slice of the data that derived results are computed from, bumped by SQLite
 * triggers (migration 0005) on every insert, update and delete of the tables behind it, so no
 * service can forget it and raw SQL (the seeds, the scripts) bumps it too. Counters only grow; a
 * missing row reads as 0. Keys:
 *   year:<Y>        the records of year Y (all five kinds) and the agreements of year Y
 *   assessment:<Y>  the framework, round and round inputs of year Y
 *   structure       the pairings and the regions (which pairing lies under which, names, years)
 * A cache of a year's scorecards is kept while the counters it depends on are unchanged
 * (server/assessment/assessment.cache.ts).
 */
export const dataVersions = sqliteTable('data_versions', {
  key: text('key').primaryKey(),
  version: integer('version').notNull().default(0),
});
