import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { KeptWorker } from '../lib/threads.ts';
import { commitImport, readyToCommit, readyToUndo, undoImport } from './imports.service.ts';

/**
 * An import's commit or undo as the web app runs it: in a worker thread with its own connection
 * (imports.worker.ts), kept between jobs, so that the seconds a transaction of 100,000 rows takes hold no other
 * request (reads go on; another write waits for the transaction, as SQLite has one writer). The
 * request that asked waits for the answer. A database in memory (tests) has no file another
 * connection could open: there the same service runs in this thread.
 */
export interface ImportJob {
  path: string;
  actor: Actor;
  id: number;
  op: 'commit' | 'undo';
}

export type ImportReply =
  | { ok: true }
  | { ok: false; refusal: { name: string; key: string; params: Record<string, string | number> } }
  | { ok: false; fault: { message: string; code?: string } };

/** The thread stops after 10 minutes without a job (it holds its modules and a connection). */
const worker = new KeptWorker<ImportJob, ImportReply>(new URL('./imports.worker.ts', import.meta.url), 'import', 600_000, {
  // a commit of 100,000 rows needs less (the web process's own limit is 192 MB, package.json)
  maxOldGenerationSizeMb: 128,
});

/** Starts the thread ahead of a commit (an upload is being checked): it is ready when the user commits. */
export function warmImportThread(db: Db): void {
  if (!db.$client.memory) worker.warm();
}

/** Stops the thread now (the app is closing). */
export const stopImportThread = () => worker.stop();

/** Imports being committed or undone now, by database file and id: a second click waits for none, it is told. */
const inFlight = new Set<string>();

export function commitImportOffThread(db: Db, actor: Actor, id: number): Promise<void> {
  readyToCommit(db, actor, id);
  return offThread(db, { path: db.$client.name, actor, id, op: 'commit' });
}

export function undoImportOffThread(db: Db, actor: Actor, id: number): Promise<void> {
  readyToUndo(db, actor, id);
  return offThread(db, { path: db.$client.name, actor, id, op: 'undo' });
}

async function offThread(db: Db, job: ImportJob): Promise<void> {
  const key = `${job.path}#${job.id}`;
  if (inFlight.has(key)) throw new ConflictError('import.busy');
  inFlight.add(key);
  try {
    if (db.$client.memory) {
      if (job.op === 'commit') commitImport(db, job.actor, job.id);
      else undoImport(db, job.actor, job.id);
      return;
    }
    const reply = await worker.run(job);
    if (reply.ok) return;
    if ('refusal' in reply) throw refusalOf(reply.refusal);
    throw Object.assign(new Error(reply.fault.message), reply.fault.code === undefined ? {} : { code: reply.fault.code });
  } finally {
    inFlight.delete(key);
  }
}

function refusalOf(r: { name: string; key: string; params: Record<string, string | number> }): Error {
  if (r.name === 'NotFoundError') return new NotFoundError(r.key);
  if (r.name === 'ForbiddenError') return new ForbiddenError(r.key);
  return new ConflictError(r.key, r.params);
}
