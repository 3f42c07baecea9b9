import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { regions, users } from './core.ts';

export const pairingLevels = ['province', 'city', 'county', 'pairup'] as const;
export type PairingLevel = (typeof pairingLevels)[number];

/** Pair-ups below county pairs (携手奔小康), each kind fixing the unit type of both sides. */
export const pairupKinds = ['township', 'village', 'enterprise_village', 'social_org_village', 'school', 'hospital'] as const;
export type PairupKind = (typeof pairupKinds)[number];

export const unitTypes = ['township', 'village', 'enterprise', 'social_org', 'school', 'hospital'] as const;
export type UnitType = (typeof unitTypes)[number];

export const pairingStatuses = ['active', 'suspended', 'ended'] as const;
export type PairingStatus = (typeof pairingStatuses)[number];

const now = () => sql`(unixepoch('subsec') * 1000)`;

/**
 * A pairing between an assisting (east) and an assisted (west) side. Province, city and county
 * pairs have regions as sides; a pair-up's sides are named units (a township, an enterprise, a
 * school …) with the region they stand in. Ending a pairing sets end_year; nothing is deleted.
 */
export const pairings = sqliteTable(
  'pairings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    level: text('level', { enum: pairingLevels }).notNull(),
    pairupKind: text('pairup_kind', { enum: pairupKinds }),
    parentId: integer('parent_id').references((): AnySQLiteColumn => pairings.id),
    assistingCode: text('assisting_code')
      .notNull()
      .references(() => regions.code),
    assistingUnit: text('assisting_unit'),
    assistedCode: text('assisted_code')
      .notNull()
      .references(() => regions.code),
    assistedUnit: text('assisted_unit'),
    startYear: integer('start_year').notNull(),
    endYear: integer('end_year'),
    status: text('status', { enum: pairingStatuses }).notNull().default('active'),
    /** Set by an admin for pairs outside the east/west zones (e.g. pre-2021 central prefectures). */
    outsideZones: integer('outside_zones', { mode: 'boolean' }).notNull().default(false),
    notes: text('notes'),
    version: integer('version').notNull().default(1),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now()),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('pairings_parent_idx').on(t.parentId),
    index('pairings_assisting_idx').on(t.assistingCode),
    index('pairings_assisted_idx').on(t.assistedCode),
    index('pairings_level_idx').on(t.level, t.startYear),
  ],
);

/** The annual collaboration agreement (年度协作协议): one per pairing and year, with targets. */
export const agreements = sqliteTable(
  'agreements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    pairingId: integer('pairing_id')
      .notNull()
      .references(() => pairings.id),
    year: integer('year').notNull(),
    fiscalFundsFen: integer('fiscal_funds_fen'),
    socialFundsFen: integer('social_funds_fen'),
    cadres: integer('cadres'),
    professionals: integer('professionals'),
    peopleTrained: integer('people_trained'),
    enterprises: integer('enterprises'),
    investmentFen: integer('investment_fen'),
    jobs: integer('jobs'),
    purchasesFen: integer('purchases_fen'),
    pairups: integer('pairups'),
    commitments: text('commitments'),
    signedOn: text('signed_on'),
    version: integer('version').notNull().default(1),
    createdBy: integer('created_by').references(() => users.id),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
    updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(now()),
    deletedAt: integer('deleted_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    uniqueIndex('agreements_pairing_year_uq')
      .on(t.pairingId, t.year)
      .where(sql`deleted_at IS NULL`),
  ],
);
