import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { sides, users } from './core.ts';
import { pairings } from './pairings.ts';

const now = () => sql`(unixepoch('subsec') * 1000)`;

/**
 * A side's yearly report (填报/报送) under a pairing: submitted with its figures, then returned
 * with a reason or accepted by the level above. A year no side has submitted has no row: its
 * status is "not started" or "in progress" by whether the side has entered anything.
 */
export const reportStatuses = ['submitted', 'returned', 'accepted'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pairingId: integer('pairing_id')
      .notNull()
      .references(() => pairings.id),
    year: integer('year').notNull(),
    side: text('side', { enum: sides }).notNull(),
    status: text('status', { enum: reportStatuses }).notNull(),
    submittedBy: integer('submitted_by').references(() => users.id),
    submittedAt: integer('submitted_at', { mode: 'timestamp_ms' }),
    /** The submitter's scope (a region prefix; null for an admin): its reviewer is an office above it. */
    submittedScope: text('submitted_scope'),
    reviewedBy: integer('reviewed_by').references(() => users.id),
    reviewedAt: integer('reviewed_at', { mode: 'timestamp_ms' }),
    /** Why the reviewer returned it (shown to the submitting side until it submits again). */
    returnReason: text('return_reason'),
    version: integer('version').notNull().default(1),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now()),
  },
  (t) => [
    uniqueIndex('reports_pairing_year_side_uq').on(t.pairingId, t.year, t.side),
    index('reports_year_status_idx').on(t.year, t.status),
  ],
);

/** The deadline of a year's reports, set by an admin. */
export const reportDeadlines = sqliteTable('report_deadlines', {
  year: integer('year').primaryKey(),
  /** The last day to submit (ISO date, inclusive). */
  deadline: text('deadline').notNull(),
  setBy: integer('set_by').references(() => users.id),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now()),
});
