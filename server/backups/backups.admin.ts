import { basename, resolve } from 'node:path';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import {
  BackupCheckFailed,
  listBackups,
  MANUAL_KEEP,
  recordedCheck,
  type BackupKind,
  type BackupResult,
} from './backups.service.ts';
import { takeBackupOffThread } from './backups.thread.ts';

/**
 * The backups page's side of issue 10, item 4: what is in the backup folder, and a backup started
 * by an admin through the same takeBackup as `npm run db:backup`, audited. A backup that cannot be
 * made (a folder that is a file, no permission, a full disk) is an outcome to show, not an error.
 *
 * A page backup is a `manual` one: kept apart from the nightly ones (MANUAL_KEEP of its own kind),
 * and taken in a worker thread (backups.thread.ts). The request waits for it, the rest of the app
 * does not: the admin gets the outcome as a flash on the next page, as before, with its audit row.
 */

/** Why a backup folder could not be read or written, for a message that says what to fix. */
export type BackupProblem = 'notAFolder' | 'denied' | 'full' | 'check' | 'busy' | 'other';

export interface BackupFailure {
  problem: BackupProblem;
  /** The folder, as an absolute path (what an admin looks for on the server). */
  dir: string;
  /** The system's own words, for the cases the problem does not name. */
  detail: string;
}

export function problemOf(err: unknown): BackupProblem {
  if (err instanceof BackupCheckFailed) return 'check';
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'notAFolder';
  // SQLite cannot open (create) the copy in a folder it may not write to
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY')
    return 'denied';
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL') return 'full';
  return 'other';
}

const failureOf = (err: unknown, dir: string): BackupFailure => ({
  problem: problemOf(err),
  dir: resolve(dir),
  detail: err instanceof Error ? err.message : String(err),
});

/** The backups in the folder (both kinds), newest first, each with the check recorded when it was taken (or null). */
export function backupOverview(dir: string, keep: number) {
  let items: { name: string; at: Date; bytes: number; kind: BackupKind; check: string | null }[] = [];
  let failure: BackupFailure | null = null;
  try {
    items = listBackups(dir).map((b) => ({
      name: basename(b.file),
      at: b.at,
      bytes: b.bytes,
      kind: b.kind,
      check: recordedCheck(b)?.check ?? null,
    }));
  } catch (err) {
    failure = failureOf(err, dir);
  }
  return { dir: resolve(dir), keep, manualKeep: MANUAL_KEEP, items, latest: items[0] ?? null, failure };
}

/** Folders a page backup is being taken into: one at a time each (a second press is told to wait). */
const inProgress = new Set<string>();

export type BackupOutcome = { ok: true; backup: BackupResult & { name: string } } | { ok: false; failure: BackupFailure };

/**
 * Takes a backup for an admin and writes its audit row. A failure to back up is returned; a failure
 * to write the audit row is thrown (the database itself is in trouble: the error page says so),
 * and the checked copy then stays, since a good backup is never thrown away.
 */
export async function backUpNow(db: Db, actorId: number, dir: string, now: Date): Promise<BackupOutcome> {
  const folder = resolve(dir);
  if (inProgress.has(folder)) return { ok: false, failure: { problem: 'busy', dir: folder, detail: '' } };
  inProgress.add(folder);
  let backup: BackupResult;
  try {
    backup = await takeBackupOffThread(db, dir, MANUAL_KEEP, now, 'manual');
  } catch (err) {
    return { ok: false, failure: failureOf(err, dir) };
  } finally {
    inProgress.delete(folder);
  }
  const name = basename(backup.file);
  db.transaction((tx) =>
    recordAudit(tx, {
      actorId,
      action: 'backup',
      entity: 'database',
      entityId: name,
      after: {
        file: name,
        kind: backup.kind,
        bytes: backup.bytes,
        check: backup.check,
        ms: backup.ms,
        removed: backup.removed.map((f) => basename(f)),
      },
    }),
  );
  return { ok: true, backup: { ...backup, name } };
}
