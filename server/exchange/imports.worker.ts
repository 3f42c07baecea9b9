import { parentPort } from 'node:worker_threads';
import { createDb } from '../../db/client.ts';
import { AppError } from '../lib/errors.ts';
import { runImportJob } from './imports.service.ts';
import type { ImportJob, ImportReply } from './imports.thread.ts';

/**
 * The body of the imports' worker thread (kept by imports.thread.ts): each commit or undo, one
 * transaction, on a connection of its own, opened for the job and closed after it (milliseconds
 * against a commit's seconds; a database file replaced meanwhile is never written through an old
 * handle). Each job gets one answer: a refusal as its status, key and params, a fault as its
 * message, code and stack (an Error loses its own fields on the way between threads).
 */
function run(job: ImportJob): ImportReply {
  let db: ReturnType<typeof createDb> | undefined;
  try {
    db = createDb(job.path);
    runImportJob(db, job.actor, job.id, job.op);
    return { ok: true };
  } catch (err) {
    if (err instanceof AppError && err.status < 500)
      return { ok: false, refusal: { status: err.status, key: err.messageKey, params: err.params } };
    const code = (err as { code?: unknown } | null)?.code;
    return {
      ok: false,
      fault: {
        message: err instanceof Error ? err.message : String(err),
        ...(typeof code === 'string' ? { code } : {}),
        ...(err instanceof Error && err.stack ? { stack: err.stack } : {}),
      },
    };
  } finally {
    db?.$client.close();
  }
}

parentPort!.on('message', ({ seq, job }: { seq: number; job: ImportJob }) => {
  parentPort!.postMessage({ seq, reply: run(job) });
});
