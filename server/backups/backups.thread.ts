import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../db/client.ts';
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

const workerUrl = new URL('./backups.worker.ts', import.meta.url).href;

/**
 * The worker's first lines. The app runs as `node --import tsx`; on Node 20 tsx does not hook a
 * worker's imports, so when the .ts file is refused the worker registers tsx itself (its ESM API,
 * found from here, not from the working directory) and imports the file again, by another URL: a
 * failed import is remembered by its URL. Where the file loads as it is, nothing is registered twice.
 */
function bootstrap(): string {
  // `tsx` resolves to its loader beside `esm/api/index.mjs` (its "./esm/api" export for import);
  // resolved by require, as this module may itself run as CommonJS (under mocha)
  const api = new URL('./esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx'))).href;
  const [worker, again] = [JSON.stringify(workerUrl), JSON.stringify(`${workerUrl}?tsx`)];
  return `import(${worker}).catch((err) => {
    if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    return import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${again}); });
  });`;
}

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
  return new Promise((resolve, reject) => {
    let answered = false;
    const worker = new Worker(bootstrap(), { eval: true, workerData: job });
    worker.once('message', (reply: BackupReply) => {
      answered = true;
      if (reply.ok) resolve(reply.result);
      else reject(errorOf(reply.error));
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the backup thread stopped (exit code ${code}) without an answer`));
    });
  });
}
