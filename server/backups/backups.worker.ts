import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BackupCheckFailed, takeBackupFrom } from './backups.service.ts';
import type { BackupJob, BackupReply } from './backups.thread.ts';

/**
 * The body of the backups page's worker thread (started by backups.thread.ts): the copy, its
 * integrity check, its check record and the rotation, on a connection of its own, so that the web
 * process's event loop never waits for them. The answer is one message; an error goes back as its
 * message and code (an Error loses its own fields on the way between threads).
 */
const job = workerData as BackupJob;

function open(source: BackupJob['source']): Database.Database {
  if (typeof source === 'string') return new Database(source, { readonly: true, fileMustExist: true });
  // a database in memory (tests, a demo) has no file to open: it comes as its serialized pages
  return new Database(Buffer.from(source.buffer, source.byteOffset, source.byteLength));
}

async function run(): Promise<BackupReply> {
  let db: Database.Database | undefined;
  try {
    db = open(job.source);
    return { ok: true, result: await takeBackupFrom(db, job.dir, job.keep, job.at, job.kind) };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    return {
      ok: false,
      error: {
        message: err instanceof Error ? err.message : String(err),
        ...(typeof code === 'string' ? { code } : {}),
        ...(err instanceof BackupCheckFailed ? { check: err.check } : {}),
      },
    };
  } finally {
    db?.close();
  }
}

parentPort!.postMessage(await run());
