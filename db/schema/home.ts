import { sql } from 'drizzle-orm';
import { integer, sqliteTable } from 'drizzle-orm/sqlite-core';
import { users } from './core.ts';

/**
 * Where each user's home page left off: the last audit row it had shown when the user last
 * looked, so the partner's changes since then are shown once ("changed since your last visit").
 */
export const homeMarks = sqliteTable('home_marks', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  changesSeenId: integer('changes_seen_id').notNull().default(0),
  seenAt: integer('seen_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
});
