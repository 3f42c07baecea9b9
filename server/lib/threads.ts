import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * One job in a worker thread of its own: the file at `workerUrl` runs with `job` as its
 * workerData and answers with one message, which this promise resolves to. The web process's
 * event loop serves every other request meanwhile (a backup, an import's commit or undo).
 */
export function runInWorker<Job, Reply>(workerUrl: URL, job: Job, what: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const worker = new Worker(bootstrap(workerUrl.href), { eval: true, workerData: job });
    worker.once('message', (reply: Reply) => {
      answered = true;
      resolve(reply);
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the ${what} thread stopped (exit code ${code}) without an answer`));
    });
  });
}

/**
 * The worker's first lines. The app runs as `node --import tsx`; on Node 20 tsx does not hook a
 * worker's imports, so when the .ts file is refused the worker registers tsx itself (its ESM API,
 * found from here, not from the working directory) and imports the file again, by another URL: a
 * failed import is remembered by its URL. Where the file loads as it is, nothing is registered twice.
 */
function bootstrap(workerUrl: string): string {
  // `tsx` resolves to its loader beside `esm/api/index.mjs` (its "./esm/api" export for import);
  // resolved by require, as this module may itself run as CommonJS (under mocha)
  const api = new URL('./esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx'))).href;
  const [worker, again] = [JSON.stringify(workerUrl), JSON.stringify(`${workerUrl}?tsx`)];
  return `import(${worker}).catch((err) => {
    if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
    return import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${again}); });
  });`;
}

interface Pending<Reply> {
  resolve: (reply: Reply) => void;
  reject: (err: unknown) => void;
}

/** A running thread and the jobs it was given that it has not answered yet. */
interface Running<Reply> {
  worker: Worker;
  pending: Map<number, Pending<Reply>>;
}

/**
 * A worker thread kept for a kind of job (an import's commit and undo): started ahead of need
 * (`warm`, when a file is uploaded: by the time its rows are checked it is ready), given one job
 * after another by message, and stopped after `idleMs` without work. It never keeps the process
 * alive by itself. The file at `workerUrl` answers each `{ seq, job }` with `{ seq, reply }`.
 */
export class KeptWorker<Job, Reply> {
  private running: Running<Reply> | undefined;
  private seq = 0;
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly workerUrl: URL,
    private readonly what: string,
    private readonly idleMs: number,
    private readonly limits: ResourceLimits = {},
  ) {}

  /** Starts the thread if it is not running (it loads its modules meanwhile). */
  warm(): void {
    const running = this.started();
    if (running.pending.size === 0) this.waitIdle(running);
  }

  /** How many jobs are given and not yet answered. */
  get busy(): number {
    return this.running?.pending.size ?? 0;
  }

  run(job: Job): Promise<Reply> {
    const running = this.started();
    clearTimeout(this.idle);
    running.worker.ref();
    const seq = ++this.seq;
    return new Promise<Reply>((resolve, reject) => {
      running.pending.set(seq, { resolve, reject });
      running.worker.postMessage({ seq, job });
    });
  }

  /** Stops the thread (a closing app, a test); jobs it has not answered are refused. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    clearTimeout(this.idle);
    if (running) await running.worker.terminate();
  }

  private started(): Running<Reply> {
    if (this.running) return this.running;
    const worker = new Worker(bootstrap(this.workerUrl.href), { eval: true, resourceLimits: this.limits });
    worker.unref();
    // each thread answers its own jobs: a thread that stops refuses only those it was given
    const running: Running<Reply> = { worker, pending: new Map() };
    worker.on('message', ({ seq, reply }: { seq: number; reply: Reply }) => {
      const waiting = running.pending.get(seq);
      running.pending.delete(seq);
      waiting?.resolve(reply);
      if (running.pending.size === 0 && this.running === running) this.waitIdle(running);
    });
    const failAll = (err: unknown) => {
      if (this.running === running) this.running = undefined;
      for (const waiting of running.pending.values()) waiting.reject(err);
      running.pending.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the ${this.what} thread stopped (exit code ${code})`)));
    this.running = running;
    return running;
  }

  /** With no job left, the thread no longer holds the process open, and stops after a while. */
  private waitIdle(running: Running<Reply>): void {
    running.worker.unref();
    clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      if (this.running === running && running.pending.size === 0) void this.stop();
    }, this.idleMs);
    this.idle.unref();
  }
}
