import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import express from 'express';
import supertest from 'supertest';
import { createDb, databaseProblem, migrateDb } from '../../db/client.ts';
import { auditLog, funds } from '../../db/schema/index.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { errorHandler } from '../../server/middleware/error-handler.ts';
import { viewEngine, viewsDir } from '../../server/views.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, FUND_FORM } from '../support/factories.ts';
import { freePort } from '../support/server.ts';

/** Starts the server on a database path and collects how it ends. */
async function start(databasePath: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const port = String(await freePort());
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: port, DATABASE_PATH: databasePath, DEMO: 'false', NODE_ENV: 'production' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

function expectOneClearLine(result: { code: number | null; stderr: string }, reason: RegExp) {
  expect(result.code, result.stderr).to.equal(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  expect(lines[0]).to.match(/^Cannot use the database at /);
  expect(lines[0]).to.match(reason);
}

describe('robustness: the start-up check reads the database error under its wrappers', () => {
  it('when drizzle wraps SQLite’s error (as `cause`), then the start still gets its one clear line', () => {
    const sqlite = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    const wrapped = new Error('Failed query: UPDATE …', { cause: sqlite });
    expect(databaseProblem('/srv/app.db', wrapped)).to.equal(
      'Cannot use the database at /srv/app.db: the database file or its folder is read-only (SQLITE_READONLY). Set DATABASE_PATH to a writable file on a disk with free space.',
    );
    expect(databaseProblem('/srv/app.db', new Error('a bug', { cause: new TypeError('x') }))).to.equal(undefined);
  });
});

describe('robustness: a database file the server cannot use, at start', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ewc-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a part of the path is a file where a folder is expected, then one clear line and exit 1', async () => {
    writeFileSync(join(dir, 'not-a-folder'), 'x');
    expectOneClearLine(await start(join(dir, 'not-a-folder', 'app.db')), /ENOTDIR/);
  });

  it('when the folder cannot be created (even as root), then one clear line and exit 1', async () => {
    expectOneClearLine(await start('/proc/ewc-no-such-folder/app.db'), /folder/);
  });

  it('when the path is a folder, then one clear line and exit 1', async () => {
    mkdirSync(join(dir, 'app.db'));
    expectOneClearLine(await start(join(dir, 'app.db')), /SQLITE_CANTOPEN/);
  });

  it('when the database file is read-only (immutable, which stops root too), then one clear line and exit 1', async function () {
    const path = join(dir, 'app.db');
    const db = createDb(path);
    migrateDb(db);
    db.$client.close();
    if (spawnSync('chattr', ['+i', path]).status !== 0) return this.skip(); // no chattr or no such file system
    try {
      expectOneClearLine(await start(path), /read-only \(SQLITE_READONLY/);
    } finally {
      spawnSync('chattr', ['-i', path]);
    }
  });
});

/** Every hidden field of the first form on a page (CSRF and any one-time token), to post it like a browser. */
function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]!] ??= m[2]!;
  return out;
}

describe('robustness: the database refuses a write at run time', () => {
  it('when the disk is full during a save, then a 503 page with Retry-After, nothing half written, earlier data intact', async () => {
    const { app, db } = buildApp();
    const { county } = buildJiangsuShaanxi(db);
    const user = await buildUser(db, { role: 'staff', regionCode: '320000' });
    const agent = await loginAs(app, user);
    const transfer = FUND_FORM;
    const formPath = `/pairings/${county.id}/records/funds/new`;
    const first = await agent
      .post(`/pairings/${county.id}/records/funds`)
      .type('form')
      .send({ ...hiddenFields((await agent.get(formPath)).text), ...transfer });
    expect(first.status).to.equal(302);
    const hidden = hiddenFields((await agent.get(formPath)).text);

    // A disk with no room left: the database may not grow, and its free pages are used up.
    const sqlite = db.$client;
    sqlite.exec('CREATE TABLE filler (b BLOB)');
    sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
    expect(() => {
      for (;;) sqlite.prepare('INSERT INTO filler VALUES (zeroblob(1000))').run();
    }).to.throw(/full/);
    const before = { funds: db.select().from(funds).all(), audit: db.select().from(auditLog).all().length };

    const res = await agent
      .post(`/pairings/${county.id}/records/funds`)
      .type('form')
      .send({ ...hidden, ...transfer, purpose: '第二笔', notes: '说明'.repeat(1000) });
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.equal('30');
    expect(res.text).to.contain('东西部协作工作平台').and.to.contain('本次修改没有保存');
    expect(res.text).to.not.match(/\bat \S+ \(|SqliteError/);
    expect(db.select().from(funds).all()).to.deep.equal(before.funds);
    expect(db.select().from(auditLog).all()).to.have.length(before.audit);
    expect(sqlite.pragma('integrity_check', { simple: true })).to.equal('ok');
    expect((await agent.get('/healthz')).status).to.equal(200);
  });

  it('when the database file became read-only, then a save answers 503 with Retry-After in the app look', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ewc-db-'));
    let readonly: Database.Database | undefined;
    try {
      const path = join(dir, 'app.db');
      const setup = new Database(path);
      setup.exec('CREATE TABLE t (x)');
      setup.close();
      const db = (readonly = new Database(path, { readonly: true }));
      const app = express();
      app.engine('hbs', viewEngine());
      app.set('view engine', 'hbs');
      app.set('views', viewsDir);
      app.post('/save', () => db.prepare('INSERT INTO t VALUES (1)').run());
      app.use(errorHandler(createLogger('silent')));
      const res = await supertest(app).post('/save');
      expect(res.status).to.equal(503);
      expect(res.headers['retry-after']).to.equal('30');
      expect(res.text).to.contain('东西部协作工作平台').and.to.contain('数据库暂时无法写入');
    } finally {
      readonly?.close(); // even when an expectation above failed
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
