import { sql } from 'drizzle-orm';
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './core.ts';

/**
 * A user's last filters of a list page (year, side, region), as the query string they appeared in:
 * opening the list bare brings them back in the URL (server/middleware/list-filters.ts). One row
 * per user and list, found by its key alone (WITHOUT ROWID: the key is the row).
 */
export const userFilters = sqliteTable(
  'user_filters',
  {
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The list: `pairings` or `records` (one for every kind: the tabs keep the filter). */
    list: text('list').notNull(),
    /** e.g. `year=2024&side=assisted&region=3205`; read back through the list's own filters. */
    query: text('query').notNull(),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [primaryKey({ columns: [t.userId, t.list] })],
);
