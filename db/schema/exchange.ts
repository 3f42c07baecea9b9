import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './core.ts';

const now = () => sql`(unixepoch('subsec') * 1000)`;

export const importStatuses = ['checking', 'checked', 'failed', 'committed', 'undone'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const importActions = ['header', 'create', 'update', 'unchanged', 'error'] as const;
export type ImportAction = (typeof importActions)[number];

/**
 * One uploaded file: checked (the dry run), then committed as a whole or not at all, and undone
 * as a whole while no later edit touched its rows. Every change it made is an audit row carrying
 * its id.
 */
export const imports = sqliteTable(
  'imports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    /** What the file holds: a record kind ('funds' …). */
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    format: text('format', { enum: ['csv', 'xlsx'] }).notNull(),
    /** The text encoding detected for a CSV ('utf-8', 'utf-8-bom', 'gb18030'); null for XLSX. */
    encoding: text('encoding'),
    fileBytes: integer('file_bytes').notNull(),
    status: text('status', { enum: importStatuses }).notNull().default('checking'),
    /** Why a file could not be read at all (an i18n key and its params), when status is 'failed'. */
    failure: text('failure', { mode: 'json' }),
    totalRows: integer('total_rows').notNull().default(0),
    doneRows: integer('done_rows').notNull().default(0),
    creates: integer('creates').notNull().default(0),
    updates: integer('updates').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    errors: integer('errors').notNull().default(0),
    /**
     * What the dry run's plans rest on: the data version and the actor's role and scope when the
     * check began, or null when the data changed while it ran. A commit on the same basis applies
     * the stored plans; on any other it plans every row again.
     */
    basis: text('basis'),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
    committedAt: integer('committed_at', { mode: 'timestamp_ms' }),
    undoneAt: integer('undone_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('imports_user_idx').on(t.userId, t.id)],
);

/** Each data row of an import as uploaded (its cells) and its dry-run outcome. */
export const importRows = sqliteTable(
  'import_rows',
  {
    importId: integer('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    /** The row's number in the file as a spreadsheet shows it (headers are rows 1 and 2). */
    rowNo: integer('row_no').notNull(),
    cells: text('cells', { mode: 'json' }).notNull().$type<string[]>(),
    action: text('action', { enum: importActions }).notNull(),
    recordId: integer('record_id'),
    /** For an update: [{ field, from, to }] as displayed text. */
    changes: text('changes', { mode: 'json' }),
    /** For an error: [{ column, key, params }]. */
    problems: text('problems', { mode: 'json' }),
    /** For a create or an update: the planned column values (and the record's id and version). */
    plan: text('plan', { mode: 'json' }),
  },
  // rows are read in file order (the primary key); the few bad ones among many have an index of their own
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNo] }),
    index('import_rows_error_idx')
      .on(t.importId, t.rowNo)
      .where(sql`action = 'error'`),
  ],
);

/**
 * Personal access tokens for the read API. Only the SHA-256 of the token is stored (the token is
 * 256 random bits, so a slow hash adds nothing); it is shown once, when created.
 */
export const accessTokens = sqliteTable(
  'access_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    /** The token's first characters, to tell tokens apart on the profile page. */
    prefix: text('prefix').notNull(),
    createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(now()),
    expiresAt: integer('expires_at', { mode: 'timestamp_ms' }).notNull(),
    lastUsedAt: integer('last_used_at', { mode: 'timestamp_ms' }),
    revokedAt: integer('revoked_at', { mode: 'timestamp_ms' }),
  },
  (t) => [index('access_tokens_user_idx').on(t.userId)],
);
