import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const regionLevels = ['province', 'prefecture', 'county', 'town', 'village'] as const;
export type RegionLevel = (typeof regionLevels)[number];

/** Collaboration zone of a province (DOMAIN.md §2). Only province rows carry one. */
export const zones = ['east', 'west', 'none'] as const;
export type Zone = (typeof zones)[number];

export const roles = ['admin', 'staff', 'liaison', 'evaluator'] as const;
export type Role = (typeof roles)[number];

const createdAt = () =>
  integer('created_at', { mode: 'timestamp_ms' })
    .notNull()
    .default(sql`(unixepoch('subsec') * 1000)`);

/**
 * The official administrative division tree (GB/T 2260). Codes are the official ones: 6 digits for
 * province, prefecture and county (320000, 320500, 320505), 9 for towns, 12 for villages, so every
 * region's descendants share its significant prefix (see regions.scope.ts).
 */
export const regions = sqliteTable(
  'regions',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: text('level', { enum: regionLevels }).notNull(),
    parentCode: text('parent_code'),
    provinceCode: text('province_code').notNull(),
    /** Names from the province down, e.g. "江苏省 苏州市 姑苏区"; for display and search. */
    fullName: text('full_name').notNull(),
    zone: text('zone', { enum: zones }),
  },
  (t) => [
    index('regions_parent_idx').on(t.parentCode),
    index('regions_name_idx').on(t.name),
    index('regions_level_idx').on(t.level),
  ],
);

export const users = sqliteTable('users', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role', { enum: roles }).notNull(),
  /** Null means the whole country (admins, and evaluators bound to no region). */
  regionCode: text('region_code').references(() => regions.code),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  /** Set by an admin's password reset: the user must choose a new password at the next login. */
  mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(false),
  /** Where the daily digest is mailed when SMTP is set up (optional). */
  email: text('email'),
  version: integer('version').notNull().default(1),
  createdAt: createdAt(),
  updatedAt: createdAt().$onUpdate(() => new Date()),
});

/** express-session store rows; user_id lets us end every session of one user. */
export const sessions = sqliteTable(
  'sessions',
  {
    sid: text('sid').primaryKey(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    data: text('data').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/** Instance settings created at first start (e.g. the generated session secret). */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/** The audit trail: one row per change, written in the same transaction as the change. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: createdAt(),
    actorId: integer('actor_id').references(() => users.id),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    /** The pairing a change belongs to, for a pairing's "recent changes". */
    pairingId: integer('pairing_id'),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    /** The import that made this change, if one did (imports are undone by these rows). */
    importId: integer('import_id'),
    /** The plausibility warnings the user confirmed with this change (rule ids), if any. */
    warnings: text('warnings', { mode: 'json' }).$type<string[]>(),
  },
  (t) => [
    index('audit_entity_idx').on(t.entity, t.entityId),
    index('audit_pairing_idx').on(t.pairingId, t.id),
    index('audit_import_idx').on(t.importId),
  ],
);

/**
 * One-time form tokens: a double-clicked form is applied once. The first submit claims the token;
 * a repeat finds it and is sent where the first one went (`location`).
 */
export const formTokens = sqliteTable(
  'form_tokens',
  {
    token: text('token').primaryKey(),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    location: text('location'),
    createdAt: createdAt(),
  },
  (t) => [index('form_tokens_created_idx').on(t.createdAt)],
);

export const sides = ['assisting', 'assisted'] as const;
export type Side = (typeof sides)[number];

/**
 * Comments by either side on a shared thing (a record, an agreement): the side that does not own
 * it reads it and says what it thinks here, instead of changing it.
 */
export const comments = sqliteTable(
  'comments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    pairingId: integer('pairing_id'),
    authorId: integer('author_id').references(() => users.id),
    side: text('side', { enum: sides }),
    body: text('body').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('comments_entity_idx').on(t.entity, t.entityId, t.id)],
);
