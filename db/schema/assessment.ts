import { sql } from 'drizzle-orm';
import { blob, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './core.ts';

const now = () => sql`(unixepoch('subsec') * 1000)`;

/**
 * One assessment framework per year. The five levels (goals, organisation, objects, content,
 * steps) and the grading rules form one document, validated by zod on every save
 * (server/assessment/assessment.framework.ts): it is edited as a whole, copied from the previous
 * year, and snapshotted whole when a round is published.
 */
export const frameworks = sqliteTable('assessment_frameworks', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  year: integer('year').notNull().unique(),
  doc: text('doc', { mode: 'json' }).notNull(),
  version: integer('version').notNull().default(1),
  updatedBy: integer('updated_by').references(() => users.id),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now()),
});

export const roundStages = ['self', 'crosscheck', 'comprehensive', 'feedback', 'published'] as const;
export type RoundStage = (typeof roundStages)[number];

/** The year's assessment round: a state machine along the steps; publishing freezes a snapshot. */
export const rounds = sqliteTable('assessment_rounds', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  year: integer('year').notNull().unique(),
  stage: text('stage', { enum: roundStages }).notNull().default('self'),
  version: integer('version').notNull().default(1),
  /** Who made the last move (for reference; the audit trail keeps every move with its reason). */
  movedBy: integer('moved_by').references(() => users.id),
  publishedAt: integer('published_at', { mode: 'timestamp_ms' }),
  /** Four eyes: one assessor proposes publishing, a different admin or assessor confirms it. */
  publishProposedBy: integer('publish_proposed_by').references(() => users.id),
  publishProposedAt: integer('publish_proposed_at', { mode: 'timestamp_ms' }),
  /** A round owner named by an admin may set the year's teams, members and assignments. */
  ownerId: integer('owner_id').references(() => users.id),
  /** At publication: the framework and every scorecard with all its inputs, frozen. */
  snapshot: text('snapshot', { mode: 'json' }),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
});

/**
 * self: the assessed side's own score and statement (per indicator, or '' for the whole object);
 * opinion: the paired side's agree (score 1) / disagree (0) with a comment, per indicator;
 * objection: the assessed side's objection to a score in the feedback stage;
 * reply: the assessors' answer to it (score: the new score when accepted, null when rejected).
 */
export const inputKinds = ['judged', 'moderated', 'na', 'veto', 'self', 'feedback', 'opinion', 'objection', 'reply'] as const;
export type InputKind = (typeof inputKinds)[number];

/**
 * What people put into a round: judged scores (one per evaluator), a lead evaluator's moderated
 * score, not-applicable marks, veto flags, self-assessments and feedback comments. Scores are
 * integer hundredths of a point.
 */
export const roundInputs = sqliteTable(
  'assessment_inputs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    objectKey: text('object_key').notNull(),
    indicatorKey: text('indicator_key').notNull().default(''),
    kind: text('kind', { enum: inputKinds }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    score: integer('score'),
    text: text('text'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
  },
  (t) => [
    uniqueIndex('inputs_uq').on(t.roundId, t.objectKey, t.indicatorKey, t.kind, t.userId),
    index('inputs_round_idx').on(t.roundId, t.kind),
  ],
);

/**
 * Evidence files behind a self-assessment or a judged score. Kept in the database itself, so the
 * online backup (npm run db:backup) carries them; sizes are capped on upload.
 */
export const evidence = sqliteTable(
  'assessment_evidence',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    roundId: integer('round_id')
      .notNull()
      .references(() => rounds.id),
    objectKey: text('object_key').notNull(),
    /** '' for evidence of the self-assessment as a whole. */
    indicatorKey: text('indicator_key').notNull().default(''),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    filename: text('filename').notNull(),
    /** The stage it was given at: self-assessment, cross-check (a judged score) or feedback (an objection). */
    stage: text('stage', { enum: ['self', 'crosscheck', 'feedback'] })
      .notNull()
      .default('self'),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
  },
  (t) => [index('evidence_object_idx').on(t.roundId, t.objectKey)],
);
