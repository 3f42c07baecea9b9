import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { KeptWorker } from '../lib/threads.ts';
import { holdWrites } from '../lib/write-gate.ts';
import { readyToCommit, readyToUndo, runImportJob } from './imports.service.ts';

/**
 * An import's commit or undo as the web app runs it: in a worker thread with its own connection
 * (imports.worker.ts), kept between jobs, so that the seconds a transaction of 100,000 rows takes
 * hold no other request: pages are read meanwhile, and saves wait for the one write lock without
 * holding anyone (lib/write-gate.ts). The request that asked waits for the answer. A database in
 * memory (tests) has no file another connection could open: there the same service runs in this
 * thread.
 */
export interface ImportJob {
  path: string;
  actor: Actor;
  id: number;
  op: 'commit' | 'undo';
}

export type ImportReply =
  | { ok: true }
  | { ok: false; refusal: { status: number; key: string; params: Record<string, string | number> } }
  | { ok: false; fault: { message: string; code?: string; stack?: string } };

/** The thread stops after 10 minutes without a job (it holds its modules). */
const worker = new KeptWorker<ImportJob, ImportReply>(new URL('./imports.worker.ts', import.meta.url), 'import', 600_000, {
  // a commit or undo of 100,000 rows needs less (the web process's own limit is 192 MB, package.json)
  maxOldGenerationSizeMb: 128,
});

/** Starts the thread ahead of a commit (an upload is being checked): it is ready when the user commits. */
export function warmImportThread(db: Db): void {
  if (!db.$client.memory) worker.warm();
}

/** Stops the thread now (the app is closing). */
export const stopImportThread = () => worker.stop();

/** Imports being committed or undone now, per database: a second click waits for none, it is told. */
const inFlight = new WeakMap<Db, Set<number>>();

/** Whether the import is being committed or undone right now (its page offers neither meanwhile). */
export function isImportBusy(db: Db, id: number): boolean {
  return inFlight.get(db)?.has(id) ?? false;
}

export function commitImportOffThread(db: Db, actor: Actor, id: number): Promise<void> {
  readyToCommit(db, actor, id);
  return offThread(db, { path: db.$client.name, actor, id, op: 'commit' });
}

export function undoImportOffThread(db: Db, actor: Actor, id: number): Promise<void> {
  readyToUndo(db, actor, id);
  return offThread(db, { path: db.$client.name, actor, id, op: 'undo' });
}

async function offThread(db: Db, job: ImportJob): Promise<void> {
  let busy = inFlight.get(db);
  if (!busy) inFlight.set(db, (busy = new Set()));
  if (busy.has(job.id)) throw new ConflictError('import.busy');
  busy.add(job.id);
  try {
    if (db.$client.memory) return runImportJob(db, job.actor, job.id, job.op);
    const release = holdWrites();
    let reply: ImportReply;
    try {
      reply = await worker.run(job);
    } finally {
      release();
    }
    if (reply.ok) return;
    if ('refusal' in reply) throw refusalOf(reply.refusal);
    throw Object.assign(new Error(reply.fault.message), {
      ...(reply.fault.code === undefined ? {} : { code: reply.fault.code }),
      ...(reply.fault.stack === undefined ? {} : { stack: reply.fault.stack }),
    });
  } finally {
    busy.delete(job.id);
  }
}

/** A refusal met in the thread, as the error its status names (commit and undo refuse with 403, 404 or 409). */
function refusalOf(r: { status: number; key: string; params: Record<string, string | number> }): Error {
  if (r.status === 404) return new NotFoundError(r.key);
  if (r.status === 403) return new ForbiddenError(r.key);
  return new ConflictError(r.key, r.params);
}
