import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { Agent } from 'supertest';
import { createDb, migrateDb, type Db } from '../../db/client.ts';
import { loadRegionTree } from '../../server/regions/regions.loader.ts';
import { buildApp, buildUser, csrfOf, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord, FUND_FORM } from '../support/factories.ts';
import { Client, FAULT_PASSWORD, inspectCopy, killAll, prepareDb, startApp, tempDir } from './fault-server.ts';

/**
 * A disk that fills up under the database while someone saves: the save is refused with a page
 * that says why in words (not a stack trace, not a bare 500), the form comes back as typed, and
 * nothing saved before is lost. The database is a file in WAL mode, as in production; "full" is
 * SQLite's own limit on its size (max_page_count) with every page in use, which fails a write the
 * way a full disk does (SQLITE_FULL).
 */

const fill = (db: Db) => {
  const sqlite = db.$client;
  sqlite.exec('CREATE TABLE IF NOT EXISTS filler (b BLOB)');
  sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true }) as number}`);
  // down to the last bytes of the last page
  for (const size of [4000, 500, 50, 1])
    expect(() => {
      for (;;) sqlite.prepare('INSERT INTO filler VALUES (zeroblob(?))').run(size);
    }).to.throw(/full/);
};
const unfill = (db: Db) => db.$client.pragma('max_page_count = 1073741823');

type Row = { id: number; purpose: string; version: number; notes: string | null };
const fundsOf = (db: Db) => db.$client.prepare('SELECT id, purpose, version, notes FROM funds ORDER BY id').all() as Row[];
const auditRows = (db: Db) => db.$client.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;

/** The form's hidden fields (CSRF, version, one-time token) as the browser would send them back. */
function hidden(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) out[m[1]!] ??= m[2]!;
  return out;
}

function expectRefusedAsTyped(res: { status: number; text: string; headers: Record<string, string> }, typed: string) {
  expect(res.status, res.text.slice(0, 500)).to.equal(503);
  expect(res.headers['retry-after']).to.equal('30');
  expect(res.text).to.contain('东西部协作工作平台'); // the app's own page
  expect(res.text).to.contain('服务器存储空间已满').and.contain('本次修改没有保存').and.contain('联系系统管理员');
  expect(res.text).to.contain(`value="${typed}"`); // the form, with what was typed
  expect(csrfOf(res.text)).to.be.a('string');
  expect(res.text).to.not.match(/\bat \S+ \(|SqliteError|SQLITE_/);
}

describe('faults: the disk fills up during a save', function () {
  this.timeout(60_000);
  const { dir, cleanup } = tempDir('full');
  const disk = join(dir, 'disk');
  let mounted = false;
  after(async () => {
    await killAll();
    if (mounted) execFileSync('umount', ['-l', disk]);
    cleanup();
  });

  it('when a record is edited and another added on a full disk, then a clear 503 page gives each form back as typed, nothing is lost, and once there is room both save', async () => {
    const path = join(dir, 'app.db');
    const db = createDb(path);
    migrateDb(db);
    loadRegionTree(db);
    const { county } = buildJiangsuShaanxi(db);
    const { app } = buildApp(db);
    const agent: Agent = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
    const newPath = `/pairings/${county.id}/records/funds/new`;
    const createPath = `/pairings/${county.id}/records/funds`;
    for (const purpose of ['第一笔', '第二笔'])
      expect(
        (
          await agent
            .post(createPath)
            .type('form')
            .send({ ...hidden((await agent.get(newPath)).text), ...FUND_FORM, purpose })
        ).status,
      ).to.equal(302);
    const [first] = fundsOf(db);
    const editForm = hidden((await agent.get(`/records/funds/${first!.id}/edit`)).text);
    const newForm = hidden((await agent.get(newPath)).text);
    const before = { funds: fundsOf(db), audit: auditRows(db) };

    fill(db);
    const edited = { ...editForm, ...FUND_FORM, purpose: '改过的用途', notes: '说明'.repeat(500) };
    expectRefusedAsTyped(await agent.post(`/records/funds/${first!.id}`).type('form').send(edited), '改过的用途');
    const added = { ...newForm, ...FUND_FORM, purpose: '第三笔', notes: '说明'.repeat(500) };
    expectRefusedAsTyped(await agent.post(createPath).type('form').send(added), '第三笔');
    // in English too
    await agent.get('/lang/en');
    const en = await agent.post(`/records/funds/${first!.id}`).type('form').send(edited);
    expect(en.status).to.equal(503);
    expect(en.text).to.contain('storage is full').and.contain('contact the administrator');
    await agent.get('/lang/zh-CN');

    // nothing half written, nothing lost, in the file as another connection reads it
    expect(fundsOf(db)).to.deep.equal(before.funds);
    expect(auditRows(db)).to.equal(before.audit);
    const reader = new Database(path, { readonly: true });
    try {
      expect(reader.pragma('integrity_check', { simple: true })).to.equal('ok');
      expect(reader.pragma('foreign_key_check')).to.deep.equal([]);
      expect(reader.prepare('SELECT count(*) FROM funds').pluck().get()).to.equal(2);
    } finally {
      reader.close();
    }
    expect((await agent.get(`/records/funds/${first!.id}`)).text).to.contain('第一笔');

    // room again (the administrator freed space): the same forms, sent again as given back, save
    unfill(db);
    const again = await agent.post(`/records/funds/${first!.id}`).type('form').send(edited);
    expect(again.status, again.text.slice(0, 300)).to.equal(302);
    expect((await agent.post(createPath).type('form').send(added)).status).to.equal(302);
    expect(fundsOf(db).map((f) => [f.purpose, f.version])).to.deep.equal([
      ['改过的用途', 2],
      ['第二笔', 1],
      ['第三笔', 1],
    ]);
    db.$client.close();
    const reopened = new Database(path);
    try {
      expect(reopened.pragma('integrity_check', { simple: true })).to.equal('ok');
      expect(reopened.prepare('SELECT count(*) FROM funds').pluck().get()).to.equal(3);
    } finally {
      reopened.close();
    }
  });

  it('when the real server’s disk (a 16 MB file system) fills up, then saves give their forms back with 503, pages still read, nothing is lost, and with room again both save', async function () {
    mkdirSync(disk);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk], { stdio: 'ignore' });
      mounted = true;
    } catch {
      return this.skip(); // mounting needs root (the max_page_count story above runs everywhere)
    }
    const path = join(disk, 'app.db');
    const { countyId } = await prepareDb(path);
    const setup = createDb(path);
    const fund = buildRecord(setup, 'funds', countyId, { purpose: '原用途' });
    setup.$client.close();
    const app = await startApp(path, dir);
    const c = await new Client(app.base).login('office.jiangsu');
    // signed in before the disk fills, its first page after: its session's expiry is due to be written
    const reader = await new Client(app.base).login('office.jiangsu');
    const post = (url: string, fields: Record<string, string>) =>
      c.request(url, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const createPath = `/pairings/${countyId}/records/funds`;
    const edited = { ...hidden((await c.get(`/records/funds/${fund.id}/edit`)).text), ...FUND_FORM, purpose: '改过的用途' };
    const added = {
      ...hidden((await c.get(`${createPath}/new`)).text),
      ...FUND_FORM,
      purpose: '第二笔',
      notes: '说明'.repeat(900),
    };

    // the disk fills up (another program's file), to the last byte
    const filler = join(disk, 'filler');
    const fd = openSync(filler, 'w');
    for (const size of [65536, 512, 1])
      try {
        for (;;) writeSync(fd, Buffer.alloc(size));
      } catch (err) {
        expect((err as NodeJS.ErrnoException).code).to.equal('ENOSPC');
      }
    closeSync(fd);

    for (const [url, fields, typed] of [
      [`/records/funds/${fund.id}`, edited, '改过的用途'],
      [createPath, added, '第二笔'],
    ] as const) {
      const res = await post(url, fields);
      expectRefusedAsTyped({ ...res, headers: { 'retry-after': res.retryAfter } }, typed);
    }
    // reading goes on: the home page (which notes the visit), a first page after signing in, the record as it was
    expect((await c.get('/')).status).to.equal(200);
    const read = await reader.get(`/pairings/${countyId}`).catch((err: Error) => ({ status: String(err.cause ?? err) }));
    expect(read.status).to.equal(200);
    expect((await c.get(`/records/funds/${fund.id}`)).text).to.contain('原用途');
    inspectCopy(path, dir, (db) => {
      expect(db.prepare('SELECT purpose, version FROM funds').all()).to.deep.equal([{ purpose: '原用途', version: 1 }]);
    });

    rmSync(filler);
    expect((await post(`/records/funds/${fund.id}`, edited)).status).to.equal(302);
    expect((await post(createPath, added)).status).to.equal(302);
    await app.stop();
    inspectCopy(path, dir, (db) => {
      expect(db.prepare('SELECT purpose, version FROM funds ORDER BY id').all()).to.deep.equal([
        { purpose: '改过的用途', version: 2 },
        { purpose: '第二笔', version: 1 },
      ]);
    });
  });

  it('when every write is refused (the storage went read-only), then pages still read, one after another on the one connection', async () => {
    const { app, db } = buildApp();
    const { county } = buildJiangsuShaanxi(db);
    await buildUser(db, { username: 'office.jiangsu', password: FAULT_PASSWORD });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    let connections = 0;
    server.on('connection', () => connections++);
    try {
      const c = await new Client(`http://127.0.0.1:${(server.address() as AddressInfo).port}`).login('office.jiangsu');
      const before = connections;
      db.$client.pragma('query_only = ON'); // each write now fails with SQLITE_READONLY
      // the first page after signing in writes the session's expiry, the home page notes the visit
      for (const page of [`/pairings/${county.id}`, '/', '/account', `/pairings/${county.id}`]) {
        const res = await c.get(page).catch((err: Error) => ({ status: `${page}: ${String(err.cause ?? err)}` }));
        expect(res.status).to.equal(200);
      }
      // the session could not be written as each page ended: the connection was kept all the same
      expect(connections).to.equal(before);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
