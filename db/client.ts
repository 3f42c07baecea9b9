import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { codedErrorOf } from '../server/lib/sqlite-errors.ts';
import * as schema from './schema/index.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle: same query API as Db, used by services that must share one transaction. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Creates a folder and its missing parents one by one. Not mkdirSync's `recursive`, which on a
 * file system refusing new folders (e.g. under /proc) retries for ever instead of failing.
 */
function ensureFolder(dir: string): void {
  if (existsSync(dir)) {
    if (statSync(dir).isDirectory()) return;
    throw Object.assign(new Error(`not a folder: ${dir}`), { code: 'ENOTDIR' });
  }
  const parent = dirname(dir);
  if (parent !== dir) ensureFolder(parent);
  mkdirSync(dir);
}

/** Statements kept per connection; beyond it the least recently used go first. */
const STATEMENTS_KEPT = 1000;

/**
 * Keeps the connection's compiled statements by their SQL text, so a query asked on every page
 * (drizzle prepares each query each time it runs) is compiled once. A kept statement is handed out
 * in better-sqlite3's default row mode (drizzle and the app set raw/pluck each time they want it);
 * one busy in an iteration is never handed out twice: a fresh one is compiled instead.
 */
function keepStatements(sqlite: Database.Database): void {
  const compile = sqlite.prepare.bind(sqlite);
  const kept = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    const stmt = kept.get(source);
    if (stmt && !stmt.busy) {
      kept.delete(source); // re-inserted below: most recently used last
      kept.set(source, stmt);
      if (stmt.reader) stmt.raw(false).pluck(false).expand(false);
      return stmt;
    }
    const fresh = compile(source);
    if (!stmt) {
      if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      kept.set(source, fresh);
    }
    return fresh;
  }) as typeof sqlite.prepare;
}

/**
 * Opens (or creates) the SQLite database with the pragmas the app relies on.
 * `:memory:` gives a private database, which is what tests use.
 */
export function createDb(path: string): Db {
  if (path !== ':memory:') ensureFolder(dirname(resolve(path)));
  const sqlite = new Database(path);
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  keepStatements(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Applies pending migrations. Foreign keys are switched off around migrate() because drizzle's
 * table-rebuild migrations would otherwise cascade or fail (drizzle-orm issue 5782); afterwards
 * the foreign key check must come back empty, or we refuse to start on a broken database.
 */
export function migrateDb(db: Db): void {
  const sqlite = db.$client;
  sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(db, { migrationsFolder });
    const problems = sqlite.pragma('foreign_key_check') as unknown[];
    if (problems.length > 0) {
      throw new Error(`foreign_key_check failed after migration: ${JSON.stringify(problems.slice(0, 5))}`);
    }
  } finally {
    sqlite.pragma('foreign_keys = ON');
  }
}

/**
 * Gathers the planner's statistics where they are missing or stale (sampled, so tens of
 * milliseconds on the national dataset, then next to nothing). Without them SQLite guesses, and
 * on a big database guesses wrong. Run at start and after bulk loads.
 */
export function optimizeDb(db: Db): void {
  db.$client.pragma('analysis_limit = 400');
  db.$client.pragma('optimize = 0x10002');
}

/**
 * Fails now, rather than at the first save, if the database cannot be written: SQLite silently
 * opens a read-only file read-only, and a statement that would write (even one that changes no
 * row) is refused with SQLITE_READONLY.
 */
export function assertWritable(db: Db): void {
  db.$client.exec('UPDATE __drizzle_migrations SET id = id WHERE 0');
}

const FS_REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  EACCES: 'no permission to create or open the folder',
  EPERM: 'no permission to create or open the folder',
  ENOENT: 'the folder cannot be created',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EISDIR: 'the path is a folder, not a file',
};

const SQLITE_REASONS: [RegExp, string][] = [
  [/^SQLITE_READONLY/, 'the database file or its folder is read-only'],
  [/^SQLITE_CANTOPEN/, 'the file cannot be opened (is the path a folder, or is its folder missing or not writable?)'],
  [/^SQLITE_FULL/, 'the disk is full'],
  [/^SQLITE_IOERR/, 'an input/output error while reading or writing the file'],
  [/^SQLITE_(BUSY|LOCKED)/, 'the database is locked by another process'],
  [/^SQLITE_(NOTADB|CORRUPT)/, 'the file is not a usable SQLite database'],
  [/^SQLITE_PERM|^SQLITE_AUTH/, 'no permission to use the file'],
];

const reasonOf = (code: string) => FS_REASONS[code] ?? SQLITE_REASONS.find(([re]) => re.test(code))?.[1];

/**
 * One readable line for a database that cannot be opened, migrated or written at start, or
 * undefined when the error is not about the database file (then it is a bug, shown in full). The
 * error may come wrapped (drizzle's DrizzleQueryError keeps SQLite's as `cause`).
 */
export function databaseProblem(path: string, err: unknown): string | undefined {
  const found = codedErrorOf(err, (code) => reasonOf(code) !== undefined);
  if (!found) return undefined;
  return `Cannot use the database at ${resolve(path)}: ${reasonOf(found.code)} (${found.code}). Set DATABASE_PATH to a writable file on a disk with free space.`;
}
