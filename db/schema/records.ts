import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { regions, sides, users } from './core.ts';
import { pairings } from './pairings.ts';

/**
 * Everything recorded under a pairing and year. Money is integer fen (分); dates are ISO
 * 'YYYY-MM-DD' text. Every record has an optional `ref` (the office's own ledger number), unique
 * per pairing, which is its natural key for imports.
 */
const recordColumns = () => ({
  id: integer('id').primaryKey({ autoIncrement: true }),
  pairingId: integer('pairing_id')
    .notNull()
    .references(() => pairings.id),
  year: integer('year').notNull(),
  date: text('date').notNull(),
  ref: text('ref'),
  notes: text('notes'),
  /** The side that entered the record and owns it; the other side reads and comments. */
  side: text('side', { enum: sides }).notNull().default('assisting'),
  version: integer('version').notNull().default(1),
  createdBy: integer('created_by').references(() => users.id),
  updatedBy: integer('updated_by').references(() => users.id),
  createdAt: integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`),
  deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
});

export const fundKinds = ['fiscal', 'social'] as const;
export const fundForms = ['money', 'goods'] as const;
export const confirmationStates = ['unconfirmed', 'confirmed', 'mismatch'] as const;

export const funds = sqliteTable(
  'funds',
  {
    ...recordColumns(),
    kind: text('kind', { enum: fundKinds }).notNull(),
    form: text('form', { enum: fundForms }).notNull().default('money'),
    committedFen: integer('committed_fen').notNull(),
    committedOn: text('committed_on'),
    disbursedFen: integer('disbursed_fen').notNull().default(0),
    disbursedOn: text('disbursed_on'),
    purpose: text('purpose').notNull(),
    projectId: integer('project_id').references(() => projects.id),
    /** Two-sided confirmation: the assisted side confirms receipt or records what arrived. */
    confirmation: text('confirmation', { enum: confirmationStates }).notNull().default('unconfirmed'),
    receivedFen: integer('received_fen'),
    confirmedBy: integer('confirmed_by').references(() => users.id),
    confirmedAt: integer('confirmed_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('funds_pairing_year_idx').on(t.pairingId, t.year),
    // the page order (year, date, id) with what a scoped page tests: a walk reads the index alone
    index('funds_page_idx').on(t.year, t.date, t.id, t.pairingId, t.deletedAt),
    uniqueIndex('funds_ref_uq').on(t.pairingId, t.ref),
  ],
);

export const talentKinds = ['cadre', 'professional', 'training'] as const;
export const professions = ['teacher', 'doctor', 'agronomist', 'scitech', 'culture', 'social_work', 'other'] as const;
export const directions = ['to_west', 'to_east'] as const;

export const talents = sqliteTable(
  'talents',
  {
    ...recordColumns(),
    kind: text('kind', { enum: talentKinds }).notNull(),
    profession: text('profession', { enum: professions }),
    direction: text('direction', { enum: directions }).notNull().default('to_west'),
    people: integer('people').notNull(),
    startOn: text('start_on'),
    endOn: text('end_on'),
    hostUnit: text('host_unit'),
    /** For training sessions: how many people were trained. */
    trained: integer('trained'),
  },
  (t) => [
    index('talents_pairing_year_idx').on(t.pairingId, t.year),
    // the page order (year, date, id) with what a scoped page tests: a walk reads the index alone
    index('talents_page_idx').on(t.year, t.date, t.id, t.pairingId, t.deletedAt),
    uniqueIndex('talents_ref_uq').on(t.pairingId, t.ref),
  ],
);

export const projectKinds = ['project', 'park', 'workshop'] as const;
export const projectStatuses = ['planned', 'building', 'operating', 'stopped'] as const;

export const projects = sqliteTable(
  'projects',
  {
    ...recordColumns(),
    kind: text('kind', { enum: projectKinds }).notNull(),
    name: text('name').notNull(),
    enterprise: text('enterprise'),
    sector: text('sector'),
    pledgedFen: integer('pledged_fen').notNull().default(0),
    actualFen: integer('actual_fen').notNull().default(0),
    locationCode: text('location_code')
      .notNull()
      .references(() => regions.code),
    status: text('status', { enum: projectStatuses }).notNull(),
    jobsCreated: integer('jobs_created').notNull().default(0),
    peopleHelped: integer('people_helped').notNull().default(0),
    formerlyPoor: integer('formerly_poor').notNull().default(0),
  },
  (t) => [
    index('projects_pairing_year_idx').on(t.pairingId, t.year),
    // the page order (year, date, id) with what a scoped page tests: a walk reads the index alone
    index('projects_page_idx').on(t.year, t.date, t.id, t.pairingId, t.deletedAt),
    uniqueIndex('projects_ref_uq').on(t.pairingId, t.ref),
  ],
);

export const destinations = ['assisting_province', 'local', 'elsewhere'] as const;

export const labour = sqliteTable(
  'labour',
  {
    ...recordColumns(),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    destination: text('destination', { enum: destinations }).notNull(),
    people: integer('people').notNull(),
    formerlyPoor: integer('formerly_poor').notNull().default(0),
  },
  (t) => [
    index('labour_pairing_year_idx').on(t.pairingId, t.year),
    // the page order (year, date, id) with what a scoped page tests: a walk reads the index alone
    index('labour_page_idx').on(t.year, t.date, t.id, t.pairingId, t.deletedAt),
    uniqueIndex('labour_ref_uq').on(t.pairingId, t.ref),
  ],
);

export const consumption = sqliteTable(
  'consumption',
  {
    ...recordColumns(),
    amountFen: integer('amount_fen').notNull(),
    products: text('products').notNull(),
    channel: text('channel'),
  },
  (t) => [
    index('consumption_pairing_year_idx').on(t.pairingId, t.year),
    // the page order (year, date, id) with what a scoped page tests: a walk reads the index alone
    index('consumption_page_idx').on(t.year, t.date, t.id, t.pairingId, t.deletedAt),
    uniqueIndex('consumption_ref_uq').on(t.pairingId, t.ref),
  ],
);
