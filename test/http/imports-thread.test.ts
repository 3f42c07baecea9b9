import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { and, eq, isNull } from 'drizzle-orm';
import { createDb, migrateDb } from '../../db/client.ts';
import { auditLog, funds } from '../../db/schema/index.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { commitImport } from '../../server/exchange/imports.service.ts';
import { commitImportOffThread, stopImportThread } from '../../server/exchange/imports.thread.ts';
import { ConflictError } from '../../server/lib/errors.ts';
import { loadSessionUser } from '../../server/auth/auth.service.ts';
import { loadRegionTree } from '../../server/regions/regions.loader.ts';
import { buildApp, buildUser, csrfOf, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { asUtf8, csvText, fundRow, submitImportForm, templateOf, textOf, uploadImport } from '../support/imports.ts';

/**
 * On a database file (as the app runs), an import's commit and undo run on the imports' own
 * thread and connection (server/exchange/imports.thread.ts): the same outcome as in memory, one
 * application however many clicks, and the thread's refusals told on the page.
 */
const dir = mkdtempSync(join(tmpdir(), 'ewc-imports-thread-'));
let files = 0;

async function world() {
  const db = createDb(join(dir, `app-${++files}.db`));
  migrateDb(db);
  loadRegionTree(db);
  const { app } = buildApp(db);
  const pairs = buildJiangsuShaanxi(db);
  const user = await buildUser(db, { username: 'office.jiangsu' });
  const jiangsu = await loginAs(app, user);
  // the office as services see it (its session's actor)
  const office = loadSessionUser(db, user.id)!;
  return { app, db, ...pairs, jiangsu, office };
}
type World = Awaited<ReturnType<typeof world>>;

/** A checked import of `count` new fund rows (without ledger numbers when `refs` is false: nothing else stops a second application). */
async function checked(w: World, count: number, refs = true) {
  const tpl = await templateOf(w.jiangsu, 'funds');
  const rows = Array.from({ length: count }, (_, i) => tpl.row(fundRow(i + 1, { ref: refs ? `T-${i + 1}` : '' })));
  const dry = await uploadImport(w.jiangsu, 'funds', 'funds.csv', asUtf8(csvText([tpl.labels, tpl.keys, ...rows])));
  expect(textOf(dry.text)).to.include(`将新增 ${count.toLocaleString('en')} 条`);
  return dry.id!;
}

const liveRefs = (w: World) =>
  w.db
    .select({ ref: funds.ref })
    .from(funds)
    .where(and(eq(funds.pairingId, w.county.id), isNull(funds.deletedAt)))
    .all()
    .map((f) => f.ref);

describe('imports on a database file: commit and undo on their own thread', function () {
  this.timeout(120_000);
  after(async () => {
    await stopImportThread();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when an office commits and then undoes an import, then the thread applies every row with its audit, and takes them all back', async () => {
    const w = await world();
    const id = await checked(w, 300);
    const committed = await submitImportForm(w.jiangsu, `/imports/${id}`, `/imports/${id}/commit`);
    expect(committed?.status).to.equal(303);
    expect(textOf((await w.jiangsu.get(`/imports/${id}`)).text)).to.include('导入已提交');
    expect(liveRefs(w)).to.have.length(300);
    // each record's creation is audited under the import, as the thread's own connection wrote it
    const audited = w.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.importId, id), eq(auditLog.action, 'create')))
      .all();
    expect(audited).to.have.length(300);

    const undone = await submitImportForm(w.jiangsu, `/imports/${id}/undo`, `/imports/${id}/undo`);
    expect(undone?.status).to.equal(303);
    expect(textOf((await w.jiangsu.get(`/imports/${id}`)).text)).to.include('已撤销');
    expect(liveRefs(w)).to.deep.equal([]);
  });

  it('when the commit button is pressed in two tabs at once, then the rows are applied once', async () => {
    const w = await world();
    const id = await checked(w, 2000, false);
    // two pages open, each with its own form (and one-time token)
    const pages = await Promise.all([w.jiangsu.get(`/imports/${id}`), w.jiangsu.get(`/imports/${id}`)]);
    const once = (html: string) => /name="_once" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const answers = await Promise.all(
      pages.map((p) =>
        w.jiangsu
          .post(`/imports/${id}/commit`)
          .type('form')
          .send({ _csrf: csrfOf(p.text), _once: once(p.text) }),
      ),
    );
    expect(answers.map((a) => a.status)).to.deep.equal([303, 303]);
    expect(liveRefs(w)).to.have.length(2000);
    const commits = w.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.importId, id), eq(auditLog.action, 'commit')))
      .all();
    expect(commits).to.have.length(1);
  });

  it('when another connection commits the same import while the thread waits for the lock, then the thread applies nothing', async () => {
    const w = await world();
    // a first commit: the thread is running when the race begins
    const first = await checked(w, 3);
    await submitImportForm(w.jiangsu, `/imports/${first}`, `/imports/${first}/commit`);
    const id = await checked(w, 500, false);
    // this connection takes the write lock first; the thread's commit has checked the import's state and waits for it
    w.db.$client.exec('BEGIN IMMEDIATE');
    const threaded = commitImportOffThread(w.db, w.office, id).then(
      () => 'applied',
      (e: unknown) => (e instanceof ConflictError ? e.messageKey : String(e)),
    );
    await delay(400);
    commitImport(w.db, w.office, id);
    w.db.$client.exec('COMMIT');
    expect(await threaded).to.equal('import.alreadyCommitted');
    expect(w.db.select().from(funds).where(isNull(funds.ref)).all()).to.have.length(500);
  });

  it('when the data moved on after the dry run, then the thread refuses the commit and the page names the row', async () => {
    const w = await world();
    const id = await checked(w, 5);
    w.db.$client
      .prepare(
        "INSERT INTO funds (pairing_id, year, date, ref, side, kind, form, committed_fen, disbursed_fen, purpose) VALUES (?, 2024, '2024-05-01', 'T-4', 'assisting', 'fiscal', 'money', 100, 0, '先录入的')",
      )
      .run(w.county.id);
    await submitImportForm(w.jiangsu, `/imports/${id}`, `/imports/${id}/commit`);
    expect(textOf((await w.jiangsu.get(`/imports/${id}`)).text)).to.include('检查之后平台上的数据有了变化');
    expect(liveRefs(w)).to.deep.equal(['T-4']);
  });
});
