import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './core.ts';

/**
 * Files attached to a record (a transfer's voucher, a project's contract), stored in the database
 * as the assessment's evidence is. A file belongs to one record of one kind (`record_kind` is the
 * kind's key: funds, talents …); who may see it is who may see the record.
 */
export const recordFiles = sqliteTable(
  'record_files',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    recordKind: text('record_kind').notNull(),
    recordId: integer('record_id').notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    filename: text('filename').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' })
      .notNull()
      .default(sql`(unixepoch('subsec') * 1000)`),
  },
  (t) => [index('record_files_record_idx').on(t.recordKind, t.recordId)],
);
