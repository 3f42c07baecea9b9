import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import { createDb, migrateDb } from '../../db/client.ts';
import { loadRegionTree } from '../../server/regions/regions.loader.ts';
import { buildUser } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { freePort, startServer } from '../support/server.ts';

/**
 * The real server as a process (server/main.ts, as `npm start` runs it) in a production-like
 * environment, over a database file of the test's, driven over HTTP with a cookie jar, so that it
 * can be killed (SIGKILL) or restarted on the same file. Behind one proxy hop that says HTTPS, as
 * production runs: the session cookie is Secure.
 */

export const FAULT_PASSWORD = 'correct-horse-battery';

/** A folder of the test's, removed with `cleanup`. */
export function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), `ewc-fault-${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A migrated database file with the region tree, 江苏 → 陕西 (and 姑苏区 → 新城区) and office.jiangsu; closed (checkpointed). */
export async function prepareDb(path: string) {
  const db = createDb(path);
  migrateDb(db);
  loadRegionTree(db);
  const pairs = buildJiangsuShaanxi(db);
  const user = await buildUser(db, { username: 'office.jiangsu', password: FAULT_PASSWORD });
  db.$client.pragma('wal_checkpoint(TRUNCATE)');
  db.$client.close();
  return { countyId: pairs.county.id, provinceId: pairs.province.id, user };
}

export function removeDb(path: string) {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** Copies a database file with its WAL and shared memory, as they lie (a crash's state included). */
export function copyDb(from: string, to: string) {
  removeDb(to);
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

export type Running = Awaited<ReturnType<typeof startApp>>;

/** Starts server/main.ts on the file; `kill` sends SIGKILL, `stop` SIGTERM, each awaiting the exit. */
export async function startApp(databasePath: string, dir: string) {
  const port = await freePort();
  const server = await startServer({
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    DATABASE_PATH: databasePath,
    BACKUP_DIR: join(dir, 'backups'),
    DEMO: 'false',
    TRUST_PROXY: '1',
    LOG_LEVEL: 'info',
    TMPDIR: dir, // the uploads a kill leaves behind go with the test's folder
  });
  const end = async (signal: NodeJS.Signals) => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
    await server.exit;
    live.delete(running);
    return server.child.signalCode;
  };
  const running = {
    base: `http://127.0.0.1:${port}`,
    child: server.child,
    output: server.output,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
  live.add(running);
  return running;
}

const live = new Set<{ kill: () => Promise<unknown> }>();
/** Kills every server a test started and left running (a failed expectation skips its own stop). */
export async function killAll() {
  await Promise.all([...live].map((r) => r.kill()));
}

/** A browser's cookie jar and the forms' tokens, over fetch (no redirects followed). */
export class Client {
  cookie = '';
  constructor(public base: string) {}

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    headers.set('x-forwarded-proto', 'https');
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(this.base + path, { ...init, headers, redirect: 'manual' });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0]!;
      if (pair.startsWith('ewc.sid=')) this.cookie = pair;
    }
    return {
      status: res.status,
      location: res.headers.get('location') ?? '',
      retryAfter: res.headers.get('retry-after') ?? '',
      text: await res.text(),
    };
  }

  get = (path: string) => this.request(path);

  /** Posts a form with the fields given and the page's CSRF token (and one-time token, if any). */
  async postForm(path: string, page: string, fields: Record<string, string>) {
    const body = new URLSearchParams({ _csrf: csrfIn(page), ...onceIn(page), ...fields });
    return this.request(path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  async login(username: string, password = FAULT_PASSWORD) {
    const page = await this.get('/login');
    const res = await this.postForm('/login', page.text, { username, password });
    expect(res.status, res.text.slice(0, 300)).to.equal(302);
    return this;
  }
}

export function csrfIn(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`no CSRF token on the page: ${html.slice(0, 200)}`);
  return token;
}

const onceIn = (html: string): Record<string, string> => {
  const once = /name="_once" value="([^"]+)"/.exec(html)?.[1];
  return once ? { _once: once } : {};
};

/** What a database file holds after a crash, read from a copy (the file itself is left as the crash left it). */
export function inspectCopy<T>(path: string, dir: string, read: (db: Database.Database) => T): T {
  const copy = join(dir, 'inspect.db');
  copyDb(path, copy);
  const db = new Database(copy);
  try {
    expect(db.pragma('integrity_check', { simple: true })).to.equal('ok');
    expect(db.pragma('foreign_key_check')).to.deep.equal([]);
    return read(db);
  } finally {
    db.close();
    removeDb(copy);
  }
}

/** A page's text without its markup. */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x3D;/g, '=')
    .replace(/\s+/g, ' ');
