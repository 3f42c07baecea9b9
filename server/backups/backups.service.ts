import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { Db } from '../../db/client.ts';

/**
 * Backups of the database (issue 10, item 4): an online copy through SQLite's backup API (safe while
 * the app runs), checked with `PRAGMA integrity_check` before it counts, the last N kept; and a
 * restore into a stopped instance, from a file that passes the same check, keeping what it replaces.
 *
 * Two kinds, told apart by their names and kept apart: `scheduled` ones (app-<stamp>.db, from
 * `npm run db:backup`, run by cron or a timer: the nightly restore points, BACKUP_KEEP of them)
 * and `manual` ones (app-manual-<stamp>.db, from the backups page, MANUAL_KEEP of them). Each kind
 * is rotated among its own, so no number of clicks on the page removes a nightly backup.
 */

export type BackupKind = 'scheduled' | 'manual';

/** How many backups taken from the page are kept (a fixed few: they are for "just before I …"). */
export const MANUAL_KEEP = 5;

export interface Backup {
  file: string;
  bytes: number;
  /** When the copy was taken (from its name). */
  at: Date;
  kind: BackupKind;
}

export interface BackupResult extends Backup {
  ms: number;
  /** `ok`, or the first problem `PRAGMA integrity_check` reported. */
  check: string;
  /** Older backups removed to keep the last N. */
  removed: string[];
}

const NAME = /^app-(manual-)?(\d{8})-(\d{6})(\d{3})\.db$/;

const stampOf = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:TZ.]/g, '')
    .replace(/^(\d{8})(\d{9})$/, '$1-$2');

/** `PRAGMA integrity_check` of a database file, opened read-only: `ok` or its first problem. */
export function checkDatabaseFile(path: string): string {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const first = rows[0]?.integrity_check ?? 'no answer';
    if (first !== 'ok') return first;
    // a file SQLite opens is not yet the app's database
    const tables = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('users', 'pairings')")
      .pluck();
    return tables.get() === 2 ? 'ok' : 'not a database of this app (no users or pairings table)';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    db?.close();
  }
}

/** The name a backup of `kind` taken at `now` gets. */
export const backupNameOf = (kind: BackupKind, now: Date) => `app-${kind === 'manual' ? 'manual-' : ''}${stampOf(now)}.db`;

/** The backups in a folder, newest first, of both kinds (only files named as takeBackup names them). */
export function listBackups(dir: string): Backup[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((file) => {
      const m = NAME.exec(file);
      if (!m) return [];
      const [, manual, day, time, ms] = m;
      const at = new Date(
        `${day!.slice(0, 4)}-${day!.slice(4, 6)}-${day!.slice(6, 8)}T${time!.slice(0, 2)}:${time!.slice(2, 4)}:${time!.slice(4, 6)}.${ms}Z`,
      );
      const kind: BackupKind = manual ? 'manual' : 'scheduled';
      return [{ file: join(dir, file), bytes: statSync(join(dir, file)).size, at, kind }];
    })
    .sort((a, b) => b.at.getTime() - a.at.getTime());
}

/**
 * Copies the database into `dir` as app-YYYYMMDD-HHMMSSmmm.db (app-manual-… for `manual`) and checks
 * the copy. A copy that fails its check is deleted and the call throws: a backup that does not open
 * is not a backup. Then only the newest `keep` backups of the same kind stay.
 */
export function takeBackup(
  db: Db,
  dir: string,
  keep: number,
  now = new Date(),
  kind: BackupKind = 'scheduled',
): Promise<BackupResult> {
  return takeBackupFrom(db.$client, dir, keep, now, kind);
}

/** takeBackup from a given connection (the backups page's worker opens its own). */
export async function takeBackupFrom(
  source: Database.Database,
  dir: string,
  keep: number,
  now: Date,
  kind: BackupKind,
): Promise<BackupResult> {
  const file = join(dir, backupNameOf(kind, now));
  const copy = await copyCheckedFrom(source, file);
  const recorded: RecordedCheck = { check: copy.check, bytes: copy.bytes, checkedAt: new Date().toISOString() };
  try {
    writeFileSync(checkFileOf(file), JSON.stringify(recorded));
  } catch {
    // the copy is good and checked; without its record the page only shows its check as unknown
  }
  const removed = listBackups(dir)
    .filter((b) => b.kind === kind)
    .slice(Math.max(1, keep))
    .map((b) => {
      unlinkSync(b.file);
      rmSync(checkFileOf(b.file), { force: true });
      return b.file;
    });
  return { ...copy, at: now, kind, removed };
}

/**
 * The check takeBackup ran on a copy, kept beside it as `<file>.check.json`: the backups page shows
 * it instead of running integrity_check over every backup on every view (seconds each for a big
 * database).
 */
export interface RecordedCheck {
  check: string;
  /** The file's size when checked: a file of another size since is not the file that was checked. */
  bytes: number;
  checkedAt: string;
}

export const checkFileOf = (file: string) => `${file}.check.json`;

/** The recorded check of a backup, or null: none recorded, unreadable, or the file changed since. */
export function recordedCheck(backup: Backup): RecordedCheck | null {
  try {
    const recorded = JSON.parse(readFileSync(checkFileOf(backup.file), 'utf8')) as Partial<RecordedCheck>;
    if (typeof recorded.check !== 'string' || recorded.bytes !== backup.bytes) return null;
    return { check: recorded.check, bytes: recorded.bytes, checkedAt: String(recorded.checkedAt) };
  } catch {
    return null;
  }
}

/** A copy that failed its integrity check (and was deleted). */
export class BackupCheckFailed extends Error {
  override name = 'BackupCheckFailed';
  constructor(readonly check: string) {
    super(`the backup failed its check (${check}); nothing was kept`);
  }
}

/** One checked copy to a given file (its folder made if missing); throws, keeping nothing, when the check fails. */
export function copyChecked(db: Db, file: string): Promise<CheckedCopy> {
  return copyCheckedFrom(db.$client, file);
}

type CheckedCopy = { file: string; bytes: number; ms: number; check: string };

async function copyCheckedFrom(source: Database.Database, file: string): Promise<CheckedCopy> {
  mkdirSync(dirname(file), { recursive: true });
  const started = performance.now();
  await source.backup(file);
  const check = checkDatabaseFile(file);
  if (check !== 'ok') {
    rmSync(file, { force: true });
    throw new BackupCheckFailed(check);
  }
  return { file, bytes: statSync(file).size, ms: Math.round(performance.now() - started), check };
}

/** The file a running instance writes its process id to (main.ts), beside the database. */
export const pidFileOf = (databasePath: string) => `${databasePath}.pid`;

/** The process id of a live instance on this database, or null. */
export function runningInstance(databasePath: string): number | null {
  const pidFile = pidFileOf(databasePath);
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null; // left behind by an instance that died
  }
}

/**
 * Puts a backup in place of the database of a stopped instance. Refused while an instance runs on
 * it, and for a file that fails its check. The database it replaces is kept beside it as
 * `<name>.before-restore-<stamp>` (its WAL folded in first), so a wrong restore can be undone.
 */
export async function restoreBackup(from: string, databasePath: string, now = new Date()) {
  const pid = runningInstance(databasePath);
  if (pid !== null) throw new Error(`the app is running on ${databasePath} (process ${pid}): stop it first`);
  const check = checkDatabaseFile(from);
  if (check !== 'ok') throw new Error(`${basename(from)} failed its check (${check}); nothing was changed`);
  let kept: string | null = null;
  if (existsSync(databasePath)) {
    kept = `${databasePath}.before-restore-${stampOf(now)}`;
    const current = new Database(databasePath, { fileMustExist: true });
    await current.backup(kept); // a consistent copy, its WAL included
    current.close();
  }
  const source = new Database(from, { readonly: true, fileMustExist: true });
  const staging = `${databasePath}.restoring`;
  rmSync(staging, { force: true });
  await source.backup(staging);
  source.close();
  for (const extra of ['-wal', '-shm']) rmSync(databasePath + extra, { force: true });
  renameSync(staging, databasePath);
  return { kept, check };
}
