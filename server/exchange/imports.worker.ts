import { parentPort } from 'node:worker_threads';
import { createDb, type Db } from '../../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { commitImport, undoImport } from './imports.service.ts';
import type { ImportJob, ImportReply } from './imports.thread.ts';

/**
 * The body of the imports' worker thread (kept by imports.thread.ts): each commit or undo, one
 * transaction, on a connection of its own, so that the web process's event loop serves other
 * requests meanwhile. Each job gets one answer: a refusal as its class name, key and params, a
 * fault as its message and code (an Error loses its own fields on the way between threads).
 */
const connections = new Map<string, Db>();

function run(job: ImportJob): ImportReply {
  try {
    let db = connections.get(job.path);
    if (!db) connections.set(job.path, (db = createDb(job.path)));
    if (job.op === 'commit') commitImport(db, job.actor, job.id);
    else undoImport(db, job.actor, job.id);
    return { ok: true };
  } catch (err) {
    if (err instanceof AppError && err.status < 500)
      return { ok: false, refusal: { name: err.name, key: err.messageKey, params: err.params } };
    const code = (err as { code?: unknown } | null)?.code;
    return {
      ok: false,
      fault: { message: err instanceof Error ? err.message : String(err), ...(typeof code === 'string' ? { code } : {}) },
    };
  }
}

parentPort!.on('message', ({ seq, job }: { seq: number; job: ImportJob }) => {
  parentPort!.postMessage({ seq, reply: run(job) });
});
