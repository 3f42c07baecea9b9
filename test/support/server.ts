import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';

/**
 * Starts `server/main.ts` as `npm start` would, with `env`, and resolves once it listens. `exit`
 * resolves with its exit code; the caller stops it (SIGTERM).
 */
export async function startServer(env: NodeJS.ProcessEnv) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const output = { text: '' };
  child.stdout.on('data', (d: Buffer) => (output.text += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output.text}`)), 30_000);
    child.stdout.on('data', () => {
      if (output.text.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { child, exit, output };
}

/** A port nobody listens on now (the OS picks it; the probe is closed before it is handed out). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
