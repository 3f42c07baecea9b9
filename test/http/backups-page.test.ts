import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { and, eq } from 'drizzle-orm';
import type { Agent } from 'supertest';
import { createDb, migrateDb } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import { checkDatabaseFile, listBackups, takeBackup } from '../../server/backups/backups.service.ts';
import { loadRegionTree } from '../../server/regions/regions.loader.ts';
import { buildApp, buildDb, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';

/**
 * The backups page (issue 10, item 4): an admin sees the backups with their time, size and the
 * check recorded when each was taken, and starts one through the same code as `npm run db:backup`.
 */
const count = (path: string, table: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
};

/** Waits, turn by turn of the event loop, for `found` to give something (at most `limitMs`, a bound for a failing test only). */
async function until<T>(found: () => T | undefined, limitMs = 20_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (let it = found(); ; it = found()) {
    if (it !== undefined) return it;
    if (Date.now() > end) throw new Error('never came');
    await new Promise((r) => setImmediate(r));
  }
}

/** Holds this (the main) thread, running nothing else, until `done` (or `limitMs` passed: false). */
function holdMainThreadUntil(done: () => boolean, limitMs = 20_000): boolean {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const end = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > end) return false;
    Atomics.wait(cell, 0, 0, 2);
  }
  return true;
}

describe('the backups page', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ewc-backups-page-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function adminOn(env: NodeJS.ProcessEnv) {
    const db = buildDb();
    const { county } = buildJiangsuShaanxi(db);
    for (let i = 0; i < 3; i++) buildRecord(db, 'funds', county.id);
    const { app } = buildApp(db, env);
    const admin = await buildUser(db, { role: 'admin', username: 'root.admin' });
    return { app, db, admin, agent: await loginAs(app, admin) };
  }

  /** Presses 立即备份 as a browser would: the page's own form, its CSRF and one-time tokens. */
  async function pressBackup(agent: Agent) {
    const page = await agent.get('/admin/backups');
    const form = formFor(page.text, '/admin/backups');
    expect(form, 'the page offers the 立即备份 form').to.not.equal(undefined);
    expect(form!.fields).to.have.keys('_csrf', '_once');
    return agent.post('/admin/backups').type('form').send(form!.fields);
  }

  it('when there is no backup yet, then the admin sees the folder, how many are kept and how to make one; the nav links the page', async () => {
    const { agent } = await adminOn({ BACKUP_DIR: dir, BACKUP_KEEP: '7' });
    const res = await agent.get('/admin/backups');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('还没有备份').and.to.contain('npm run db:backup').and.to.contain('立即备份');
    expect(res.text).to.contain(dir).and.to.contain('保留最新的 7 份');
    expect((await agent.get('/')).text).to.contain('href="/admin/backups"');
  });

  it('when the admin presses 立即备份, then a checked copy is taken, flashed with its name, size and check, listed, and audited', async () => {
    const { agent, db, admin } = await adminOn({ BACKUP_DIR: dir });
    const res = await pressBackup(agent);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/admin/backups');

    const [backup] = listBackups(dir);
    expect(backup, 'a backup in BACKUP_DIR').to.not.equal(undefined);
    expect(checkDatabaseFile(backup!.file)).to.equal('ok');
    expect(count(backup!.file, 'funds')).to.equal(3);
    const name = basename(backup!.file);
    const page = await agent.get('/admin/backups');
    expect(page.text).to.match(new RegExp(`备份完成：${name}，\\d+(\\.\\d)? (KB|MB)，检查通过`));
    expect(page.text).to.not.contain('还没有备份');
    const row = new RegExp(`<tr>[\\s\\S]*?${name}[\\s\\S]*?\\d+(\\.\\d)? (KB|MB)[\\s\\S]*?检查通过[\\s\\S]*?</tr>`);
    expect(page.text).to.match(row);

    const audit = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'backup'), eq(auditLog.entity, 'database')))
      .all();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorId: admin.id, entityId: name });
  });

  it('when 立即备份 is pressed more often than manual backups are kept, then only the newest 5 of them stay and no scheduled backup is removed; each is labelled', async () => {
    const { agent, db } = await adminOn({ BACKUP_DIR: dir, BACKUP_KEEP: '2' });
    const nightly = [];
    for (const day of ['01', '02']) nightly.push(await takeBackup(db, dir, 2, new Date(`2026-11-${day}T18:00:00.000Z`)));
    for (let i = 0; i < 6; i++) {
      expect((await pressBackup(agent)).status).to.equal(302);
      await new Promise((r) => setTimeout(r, 5)); // backups are named by the millisecond
    }
    const manual = listBackups(dir).filter((b) => b.kind === 'manual');
    expect(manual).to.have.length(5);
    expect(manual.every((b) => basename(b.file).startsWith('app-manual-'))).to.equal(true);
    const scheduled = listBackups(dir).filter((b) => b.kind === 'scheduled');
    expect(scheduled.map((b) => b.file)).to.deep.equal(nightly.map((b) => b.file).reverse());
    const kept = listBackups(dir).map((b) => basename(b.file));
    expect(readdirSync(dir).sort()).to.deep.equal(kept.flatMap((n) => [n, `${n}.check.json`]).sort());

    const page = await agent.get('/admin/backups');
    expect(page.text).to.contain('删除了 1 份较早的手动备份（定时备份不受影响）');
    expect(page.text).to.contain('保留最新的 2 份').and.to.contain('另行保留最新的 5 份');
    const rowOf = (name: string) => new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*${name}[\\s\\S]*?</tr>`).exec(page.text)?.[0];
    expect(rowOf(kept[0]!)).to.contain('手动备份');
    expect(rowOf(basename(nightly[0]!.file))).to.contain('定时备份');
    expect(page.text.indexOf(kept[0]!)).to.be.within(0, page.text.indexOf(kept[1]!));
  });

  it('when the admin presses 立即备份 on a database file, then its copy and check go on while the main thread is held: they hold up no other request', async () => {
    const path = join(dir, 'app.db');
    const db = createDb(path);
    migrateDb(db);
    loadRegionTree(db);
    const { county } = buildJiangsuShaanxi(db);
    for (let i = 0; i < 3; i++) buildRecord(db, 'funds', county.id); // in the WAL, not yet in the file
    const backups = join(dir, 'backups');
    const { app } = buildApp(db, { BACKUP_DIR: backups });
    const agent = await loginAs(app, await buildUser(db, { role: 'admin', username: 'root.admin' }));
    let answered = false;
    const pressed = pressBackup(agent).then((res) => ((answered = true), res));
    try {
      const copy = await until(() => (existsSync(backups) ? readdirSync(backups).find((f) => f.endsWith('.db')) : undefined));
      // From here nothing runs on the main thread: no request, no timer, no step of a backup taken
      // here. A backup that needed it could not be checked; one in a worker thread is.
      const checked = holdMainThreadUntil(() => existsSync(join(backups, `${copy}.check.json`)));
      expect(checked, 'the copy was checked while the main thread was held').to.equal(true);
      expect(answered).to.equal(false);
      const res = await pressed;
      expect(res.status).to.equal(302);
      expect(copy).to.match(/^app-manual-\d{8}-\d{9}\.db$/);
      expect(checkDatabaseFile(join(backups, copy))).to.equal('ok');
      expect(count(join(backups, copy), 'funds')).to.equal(3);
      expect((await agent.get('/admin/backups')).text).to.contain(`备份完成：${copy}`);
    } finally {
      await pressed.catch(() => undefined);
      db.$client.close();
    }
  });

  it('when a backup has no check record, or its file changed since, then the page does not claim it passed; times are Beijing time', async () => {
    const { agent, db } = await adminOn({ BACKUP_DIR: dir });
    const old = await takeBackup(db, dir, 5, new Date('2026-11-01T10:00:00.000Z'));
    const changed = await takeBackup(db, dir, 5, new Date('2026-11-02T10:00:00.000Z'));
    const good = await takeBackup(db, dir, 5, new Date('2026-11-03T10:00:00.000Z'));
    unlinkSync(`${old.file}.check.json`); // as if taken before checks were recorded
    appendFileSync(changed.file, Buffer.alloc(4096));
    const page = await agent.get('/admin/backups');
    expect(page.status).to.equal(200);
    const rowOf = (file: string) => new RegExp(`<tr>(?:(?!</tr>)[\\s\\S])*${basename(file)}[\\s\\S]*?</tr>`).exec(page.text)?.[0];
    expect(rowOf(good.file)).to.contain('2026-11-03 18:00').and.to.contain('检查通过');
    expect(rowOf(old.file)).to.contain('未记录').and.to.not.contain('检查通过');
    expect(rowOf(changed.file)).to.contain('未记录').and.to.not.contain('检查通过');
  });

  for (const [role, who] of [
    ['staff', 'a staff member'],
    ['liaison', 'a liaison'],
  ] as const) {
    it(`when ${who} opens the page or posts to it, then 403 and no backup is taken`, async () => {
      const { app, db } = buildApp(buildDb(), { BACKUP_DIR: dir });
      const admin = await loginAs(app, await buildUser(db, { role: 'admin' }));
      expect((await admin.get('/admin/backups')).status, 'the admin sees the page (so the 403 below can fail)').to.equal(200);
      const agent = await loginAs(app, await buildUser(db, { role, regionCode: '610000' }));
      expect((await agent.get('/admin/backups')).status).to.equal(403);
      const own = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/account/password')).text)![1];
      const res = await agent.post('/admin/backups').type('form').send({ _csrf: own });
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('没有访问此页面的权限');
      expect(readdirSync(dir)).to.deep.equal([]);
      expect((await agent.get('/')).text).to.not.contain('href="/admin/backups"');
    });
  }

  it('when the backup folder is a file, then the page and 立即备份 say so clearly instead of a 500, and nothing is audited', async () => {
    const notAFolder = join(dir, 'backups');
    writeFileSync(notAFolder, 'a file where the folder should be');
    const { agent, db } = await adminOn({ BACKUP_DIR: notAFolder });
    const page = await agent.get('/admin/backups');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('不是文件夹');
    const res = await pressBackup(agent);
    expect(res.status).to.equal(302);
    const after = await agent.get('/admin/backups');
    expect(after.text).to.contain('备份失败').and.to.contain(notAFolder).and.to.contain('不是文件夹');
    expect(after.text).to.not.contain('备份完成');
    expect(db.select().from(auditLog).where(eq(auditLog.action, 'backup')).all()).to.deep.equal([]);
    expect(readdirSync(dir)).to.deep.equal(['backups']);
  });
});
