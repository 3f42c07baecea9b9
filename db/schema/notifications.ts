import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sides, users } from './core.ts';

const now = () => sql`(unixepoch('subsec') * 1000)`;

/**
 * What the daily digest tells a user (issue 11, reminders): a report deadline in 7 or 1 days, a
 * report returned, a transfer waiting for confirmation, the partner's changes to a pairing's
 * records, a new assessment stage. Made once a day (notification_runs), never one per edit; `key`
 * makes a thing told once per user. A side's deadline reminders go when it submits, and a user's
 * all go when its region or role changes (they may name pairings outside the new scope): triggers
 * on reports and users, migration 0010.
 */
export const notificationKinds = [
  'deadline7',
  'deadline1',
  'returned',
  'transfer',
  'edits',
  'stage',
  'objection',
  'reply',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

export const notifications = sqliteTable(
  'notifications',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: notificationKinds }).notNull(),
    /** What it is about, once per user (e.g. "deadline7:12:2024:assisting", "edits:12:2024-12-13"). */
    key: text('key').notNull(),
    /** The digest day (China time, YYYY-MM-DD) that made it. */
    day: text('day').notNull(),
    pairingId: integer('pairing_id'),
    year: integer('year'),
    side: text('side', { enum: sides }),
    /** Where opening it goes: a pairing, report, record or round page of the app. */
    link: text('link').notNull(),
    /** The label's parameters (names, counts, dates), as they were when it was made. */
    params: text('params', { mode: 'json' }).$type<Record<string, string | number>>(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
    readAt: integer('read_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('notifications_user_key_uq').on(t.userId, t.key),
    index('notifications_user_idx').on(t.userId, t.id),
    // (user_id, read_at) though read_at is always null here: the count then reads the index alone
    index('notifications_unread_idx')
      .on(t.userId, t.readAt)
      .where(sql`${t.readAt} IS NULL`),
    index('notifications_report_idx')
      .on(t.pairingId, t.year, t.side)
      .where(sql`${t.pairingId} IS NOT NULL`),
  ],
);

/** One row per digest day: a second run the same day adds nothing. */
export const notificationRuns = sqliteTable('notification_runs', {
  day: text('day').primaryKey(),
  ranAt: integer('ran_at', { mode: 'timestamp_ms' }).notNull().default(now()),
  /** The last audit row the day's run read (the next run reads after it). */
  lastAuditId: integer('last_audit_id').notNull(),
  created: integer('created').notNull().default(0),
  mailed: integer('mailed').notNull().default(0),
});
