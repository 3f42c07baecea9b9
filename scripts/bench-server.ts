/**
 * The processes `npm run bench` starts: the app exactly as `npm start` runs it (package.json's start
 * script, with node_modules/.bin on the PATH, but without npm itself in between) and the bare
 * baseline. Each runs in its own process group, so stopping it also stops what its command started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export interface Child {
  proc: ChildProcess;
  base: string;
  log: string;
  /** When the command was spawned (performance.now()). */
  spawnedAt: number;
}

/** A port nobody listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

function startCommand(): string {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  return pkg.scripts.start!;
}

/** Spawns `command` through the shell in its own process group, output to `log`. */
async function spawnInGroup(command: string, env: Record<string, string>, log: string): Promise<Child> {
  const port = await freePort();
  const out = openSync(log, 'a');
  const spawnedAt = performance.now();
  const proc = spawn('sh', ['-c', command], {
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      PATH: `${resolve('node_modules/.bin')}:${process.env.PATH ?? ''}`,
      ...env,
      PORT: String(port),
    },
  });
  return { proc, base: `http://127.0.0.1:${port}`, log, spawnedAt };
}

/** The app in production mode on `databasePath` (no demo seeding), behind an imagined TLS proxy. */
export function startApp(databasePath: string, dir: string, command = startCommand()): Promise<Child> {
  return spawnInGroup(
    command,
    {
      NODE_ENV: 'production',
      DATABASE_PATH: databasePath,
      SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijklmnop',
      DEMO: 'false',
      TRUST_PROXY: '1',
    },
    join(dir, 'app.log'),
  );
}

export function startBaseline(dir: string): Promise<Child> {
  const script = resolve('scripts/bench-baseline.ts');
  return spawnInGroup(
    `exec node --import tsx ${script} ${join(dir, 'baseline.db')}`,
    { NODE_ENV: 'production' },
    join(dir, 'baseline.log'),
  );
}

/**
 * Polls `path` every 10 ms until it answers 200; returns the ms since the spawn. Throws when the
 * process exits first or after `limitMs`.
 */
export async function waitFor(
  child: Child,
  path: string,
  headers: Record<string, string> = {},
  limitMs = 60_000,
): Promise<number> {
  for (;;) {
    if (child.proc.exitCode !== null) throw new Error(`bench: ${child.log}: the process exited (${child.proc.exitCode})`);
    try {
      const res = await fetch(`${child.base}${path}`, { headers, redirect: 'manual' });
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - child.spawnedAt;
    } catch {
      // not listening yet
    }
    if (performance.now() - child.spawnedAt > limitMs) throw new Error(`bench: ${path} did not answer 200 within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The process and its descendants (the shell, a tsx loader, the server …), read from /proc. */
function processTree(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parentOf) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/**
 * Peak resident memory (VmHWM, in MB) of the largest process in the child's tree: the server
 * itself, not the shell or a loader in front of it. Null where /proc is missing.
 */
export function peakRssMb(child: Child): number | null {
  let peak: number | null = null;
  for (const pid of processTree(child.proc.pid!)) {
    try {
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) peak = Math.max(peak ?? 0, Number(kb) / 1024);
    } catch {
      // not on Linux, or gone
    }
  }
  return peak;
}

/**
 * Resident memory now (VmRSS, in MB): the server's (the largest node process in the child's tree)
 * and, apart, the sum of the rest it started (the PDF printer's browser, while one runs). Null where /proc is missing.
 */
export function rssMb(child: Child): { server: number | null; others: number } {
  let server: number | null = null;
  let all = 0;
  for (const pid of processTree(child.proc.pid!)) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const mb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
      if (/^Name:\s+node$/m.test(status)) server = Math.max(server ?? 0, mb);
      if (!/^Name:\s+sh$/m.test(status)) all += mb; // not the shell in front of the server
    } catch {
      // not on Linux, or gone
    }
  }
  return { server, others: all - (server ?? 0) };
}

/** SIGTERM to the child's process group; waits for it to exit (SIGKILL after 15 s). */
export async function stop(child: Child): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  const exited = new Promise<void>((ok) => child.proc.once('exit', () => ok()));
  try {
    process.kill(-child.proc.pid!, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.proc.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}
