import type { Db } from '../../db/client.ts';
import { runInWorker } from '../lib/threads.ts';
import { BackupCheckFailed, type BackupKind, type BackupResult } from './backups.service.ts';

/** What the worker is asked to do: the database (its file, or the pages of one in memory), where, how many to keep. */
export interface BackupJob {
  source: string | Uint8Array;
  dir: string;
  keep: number;
  at: Date;
  kind: BackupKind;
}

export type BackupReply =
  { ok: true; result: BackupResult } | { ok: false; error: { message: string; code?: string; check?: string } };

const workerUrl = new URL('./backups.worker.ts', import.meta.url);

function errorOf(error: { message: string; code?: string; check?: string }): Error {
  if (error.check !== undefined) return new BackupCheckFailed(error.check);
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

/**
 * takeBackup in a worker thread, on the worker's own connection to the database file: the copy
 * (SQLite's online backup) and `PRAGMA integrity_check`, seconds each on the national database, run
 * there, and this thread answers every other request meanwhile. Resolves or rejects as takeBackup
 * does. A database in memory (tests) is handed over as its serialized pages.
 */
export function takeBackupOffThread(db: Db, dir: string, keep: number, now: Date, kind: BackupKind): Promise<BackupResult> {
  const job: BackupJob = { source: db.$client.memory ? db.$client.serialize() : db.$client.name, dir, keep, at: now, kind };
  return runInWorker<BackupJob, BackupReply>(workerUrl, job, 'backup').then((reply) => {
    if (reply.ok) return reply.result;
    throw errorOf(reply.error);
  });
}
