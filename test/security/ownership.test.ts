import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { Agent } from 'supertest';
import { auditLog, funds, pairings, projects } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { formFor } from '../support/forms.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildPairing, buildRecord, FUND_FORM } from '../support/factories.ts';

/**
 * Each side changes only what is its own (issue 8, items 1, 2 and 11): a pairing's sides never move
 * under staff; a record belongs to the side that entered it; the other side reads and comments.
 */
const FIXED = () => new Date('2024-06-15T08:00:00Z');

async function world() {
  const { app, db } = buildApp(undefined, {}, FIXED);
  const js = buildJiangsuShaanxi(db);
  const gg = buildGuangdongGuizhou(db);
  const users = {
    jiangsu: await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' }),
    shaanxi: await buildUser(db, { username: 'office.shaanxi', role: 'staff', regionCode: '610000' }),
    liaisonShaanxi: await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' }),
    liaisonGuizhou: await buildUser(db, { username: 'liaison.guizhou', role: 'liaison', regionCode: '520000' }),
    admin: await buildUser(db, { username: 'admin', role: 'admin' }),
  };
  return { app, db, js, gg, users };
}

/** The pairing form as the edit page fills it, with some fields changed. */
async function pairingForm(agent: Agent, id: number, changes: Record<string, string>) {
  const page = await agent.get(`/pairings/${id}/edit`);
  expect(page.status).to.equal(200);
  return { ...formFor(page.text, `/pairings/${id}`)!.fields, ...changes };
}

const fundForm = FUND_FORM;

describe('ownership: a pairing’s sides never move under staff', () => {
  it('when 陕西 staff re-point a 江苏–陕西 pairing with records to a 浙江 county, then it is refused and nothing moves', async () => {
    const { app, db, js, users } = await world();
    buildRecord(db, 'funds', js.county.id);
    const shaanxi = await loginAs(app, users.shaanxi);
    const body = await pairingForm(shaanxi, js.county.id, { assistingCode: '330102' });
    const res = await shaanxi.post(`/pairings/${js.county.id}`).type('form').send(body);
    expect(res.status).to.equal(422);
    expect(
      res.text,
      [...res.text.matchAll(/class="(?:error|alert error)"[^>]*>([^<]*)</g)].map((m) => m[1]).join(' / '),
    ).to.contain('该结对关系已在使用');
    expect(db.select().from(pairings).where(eq(pairings.id, js.county.id)).get()!.assistingCode).to.equal('320508');
  });

  it('when 江苏 staff re-point a pairing in use to 贵州, then it is refused and 贵州’s liaison still cannot see it', async () => {
    const { app, db, js, users } = await world();
    buildRecord(db, 'consumption', js.province.id);
    const jiangsu = await loginAs(app, users.jiangsu);
    const body = await pairingForm(jiangsu, js.province.id, { assistedCode: '520000' });
    const res = await jiangsu.post(`/pairings/${js.province.id}`).type('form').send(body);
    expect(res.status).to.equal(422);
    expect(db.select().from(pairings).where(eq(pairings.id, js.province.id)).get()!.assistedCode).to.equal('610000');
    const guizhou = await loginAs(app, users.liaisonGuizhou);
    expect((await guizhou.get(`/pairings/${js.province.id}`)).status).to.equal(404);
  });

  it('when a pairing is in use, then its edit page shows the sides as text, offers no side fields, and still saves its notes', async () => {
    const { app, db, js, users } = await world();
    buildRecord(db, 'consumption', js.county.id);
    const jiangsu = await loginAs(app, users.jiangsu);
    const page = await jiangsu.get(`/pairings/${js.county.id}/edit`);
    expect(page.text).to.contain('不能再修改');
    expect(page.text).to.not.match(/<input[^>]*id="f-assistingCode"/);
    const body = await pairingForm(jiangsu, js.county.id, { notes: '季度会商' });
    expect((await jiangsu.post(`/pairings/${js.county.id}`).type('form').send(body)).status).to.equal(302);
    expect(db.select().from(pairings).where(eq(pairings.id, js.county.id)).get()!.notes).to.equal('季度会商');
  });

  it('when a pairing is still empty, then staff may fix the partner’s side but never move their own side away', async () => {
    const { app, db, users } = await world();
    const empty = buildPairing(db, { level: 'county', assistingCode: '320509', assistedCode: '610103' });
    const jiangsu = await loginAs(app, users.jiangsu);
    const fixPartner = await pairingForm(jiangsu, empty.id, { assistedCode: '610104' });
    expect((await jiangsu.post(`/pairings/${empty.id}`).type('form').send(fixPartner)).status).to.equal(302);
    const moveOwn = await pairingForm(jiangsu, empty.id, { assistingCode: '330102' });
    const res = await jiangsu.post(`/pairings/${empty.id}`).type('form').send(moveOwn);
    expect(res.status).to.equal(422);
    expect(db.select().from(pairings).where(eq(pairings.id, empty.id)).get()).to.include({
      assistingCode: '320509',
      assistedCode: '610104',
    });
  });

  it('when an admin corrects a side of a pairing in use, then a reason is required and kept in the history', async () => {
    const { app, db, js, users } = await world();
    buildRecord(db, 'consumption', js.county.id);
    const admin = await loginAs(app, users.admin);
    const noReason = await pairingForm(admin, js.county.id, { assistedCode: '610103' });
    const refused = await admin.post(`/pairings/${js.county.id}`).type('form').send(noReason);
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('请填写更正原因');
    const withReason = await pairingForm(admin, js.county.id, { assistedCode: '610103', reason: '受援县录错' });
    expect((await admin.post(`/pairings/${js.county.id}`).type('form').send(withReason)).status).to.equal(302);
    const audit = db.select().from(auditLog).where(eq(auditLog.action, 'correct')).get();
    expect(audit?.after).to.include({ assistedCode: '610103', reason: '受援县录错' });
  });

  it('when a county office saves the notes of its own pairing, then the parent it cannot open does not stand in the way', async () => {
    const { app, db, js } = await world();
    buildRecord(db, 'consumption', js.county.id);
    const county = await loginAs(app, await buildUser(db, { username: 'office.gusu', role: 'staff', regionCode: '320508' }));
    const body = await pairingForm(county, js.county.id, { notes: '县级会商纪要' });
    expect((await county.post(`/pairings/${js.county.id}`).type('form').send(body)).status).to.equal(302);
  });

  it('when an admin re-points a pairing whose child pairs would fall outside it, then it is refused; an ended pairing cannot be ended again', async () => {
    const { app, db, js, users } = await world();
    const admin = await loginAs(app, users.admin);
    const body = await pairingForm(admin, js.province.id, { assistedCode: '620000', reason: '录错' });
    const res = await admin.post(`/pairings/${js.province.id}`).type('form').send(body);
    expect(res.status).to.equal(422);
    expect(db.select().from(pairings).where(eq(pairings.id, js.province.id)).get()!.assistedCode).to.equal('610000');
    const token = await csrfFor(admin, `/pairings/${js.county.id}/end`);
    const end = () =>
      admin.post(`/pairings/${js.county.id}/end`).type('form').send({ endYear: '2024', version: '1', _csrf: token });
    expect((await end()).status).to.equal(302);
    expect((await end()).status).to.equal(409);
  });

  it('when a parent pairing outside one’s scope is named, then the message is the same as for one that does not exist', async () => {
    const { app, gg, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const token = await csrfFor(jiangsu, '/pairings/new');
    const base = { level: 'county', assistingCode: '320509', assistedCode: '610103', startYear: '2021', _csrf: token };
    const hidden = await jiangsu
      .post('/pairings')
      .type('form')
      .send({ ...base, parentId: String(gg.province.id) });
    const missing = await jiangsu
      .post('/pairings')
      .type('form')
      .send({ ...base, parentId: '999999' });
    expect(hidden.status).to.equal(422);
    const message = (html: string) => /id="e-parentId">([^<]*)</.exec(html)?.[1] ?? /class="error"[^>]*>([^<]*)</.exec(html)?.[1];
    expect(message(hidden.text)).to.equal(message(missing.text));
  });
});

describe('ownership: a record belongs to the side that entered it', () => {
  it('when 陕西 staff try to change or delete 江苏’s transfer, then both are refused, nothing changes, and the page offers neither', async () => {
    const { app, db, js, users } = await world();
    const fund = buildRecord(db, 'funds', js.county.id, { committedFen: 100_000_000, disbursedFen: 100_000_000 });
    const shaanxi = await loginAs(app, users.shaanxi);
    const show = await shaanxi.get(`/records/funds/${fund.id}`);
    expect(show.text).to.not.contain(`/records/funds/${fund.id}/edit`);
    expect(show.text).to.not.contain(`/records/funds/${fund.id}/delete`);
    expect(show.text).to.contain('帮扶方录入');
    const token = await csrfFor(shaanxi, `/records/funds/${fund.id}`);
    const edit = await shaanxi
      .post(`/records/funds/${fund.id}`)
      .type('form')
      .send({ ...fundForm, disbursedFen: '1', version: '1', _csrf: token });
    expect(edit.status).to.equal(403);
    expect(edit.text).to.contain('只有帮扶方可以修改');
    const del = await shaanxi.post(`/records/funds/${fund.id}/delete`).type('form').send({ version: '1', _csrf: token });
    expect(del.status).to.equal(403);
    expect((await shaanxi.get(`/records/funds/${fund.id}/edit`)).status).to.equal(403);
    const row = db.select().from(funds).where(eq(funds.id, fund.id)).get()!;
    expect(row).to.include({ disbursedFen: 100_000_000, version: 1 });
    expect(row.deletedAt).to.equal(null);
  });

  it('when the assisted side enters a project, then it owns it: 江苏 may only read and comment, 陕西 edits it', async () => {
    const { app, db, js, users } = await world();
    const shaanxi = await loginAs(app, users.shaanxi);
    const token = await csrfFor(shaanxi, `/pairings/${js.county.id}/records/projects/new`);
    const created = await shaanxi.post(`/pairings/${js.county.id}/records/projects`).type('form').send({
      year: '2024',
      date: '2024-04-01',
      kind: 'workshop',
      name: '帮扶车间',
      locationCode: '610102',
      status: 'operating',
      _csrf: token,
    });
    expect(created.status).to.equal(302);
    const project = db.select().from(projects).get()!;
    expect(project.side).to.equal('assisted');
    const jiangsu = await loginAs(app, users.jiangsu);
    const t = await csrfFor(jiangsu, `/records/projects/${project.id}`);
    const edit = await jiangsu.post(`/records/projects/${project.id}`).type('form').send({
      year: '2024',
      date: '2024-04-01',
      kind: 'workshop',
      name: '改名',
      locationCode: '610102',
      status: 'operating',
      version: '1',
      _csrf: t,
    });
    expect(edit.status).to.equal(403);
    const said = await jiangsu
      .post(`/records/projects/${project.id}/comments`)
      .type('form')
      .send({ body: '请补充用工人数', _csrf: t });
    expect(said.status).to.equal(302);
    const seen = await shaanxi.get(`/records/projects/${project.id}`);
    expect(seen.text).to.contain('请补充用工人数');
    expect(seen.text).to.contain(`/records/projects/${project.id}/edit`);
  });

  it('when a confirmed transfer’s amount is edited, then it must be confirmed again; a change of its notes keeps the confirmation', async () => {
    const { app, db, js, users } = await world();
    const fund = buildRecord(db, 'funds', js.county.id, { committedFen: 100_000_000, disbursedFen: 100_000_000 });
    const shaanxi = await loginAs(app, users.shaanxi);
    const t1 = await csrfFor(shaanxi, `/records/funds/${fund.id}/confirm`);
    const ok = await shaanxi
      .post(`/records/funds/${fund.id}/confirm`)
      .type('form')
      .send({ receivedFen: '100', receivedFenUnit: 'wan', version: '1', _csrf: t1 });
    expect(ok.status).to.equal(302);
    const jiangsu = await loginAs(app, users.jiangsu);
    const t2 = await csrfFor(jiangsu, `/records/funds/${fund.id}/edit`);
    const notes = await jiangsu
      .post(`/records/funds/${fund.id}`)
      .type('form')
      .send({ ...fundForm, notes: '第一批', version: '2', _csrf: t2 });
    expect(notes.status).to.equal(302);
    expect(db.select().from(funds).get()).to.include({ confirmation: 'confirmed', receivedFen: 100_000_000 });
    const amount = await jiangsu
      .post(`/records/funds/${fund.id}`)
      .type('form')
      .send({ ...fundForm, disbursedFen: '80', version: '3', _csrf: t2 });
    expect(amount.status).to.equal(302);
    expect(db.select().from(funds).get()).to.include({
      confirmation: 'unconfirmed',
      receivedFen: null,
      disbursedFen: 80_000_000,
    });
  });

  it('when the assisting side opens a year’s agreement, then it edits the targets; the assisted side reads them, is told who sets them, and comments', async () => {
    const { app, js, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const t1 = await csrfFor(jiangsu, `/pairings/${js.county.id}/agreements/2024`);
    const saved = await jiangsu
      .post(`/pairings/${js.county.id}/agreements/2024`)
      .type('form')
      .send({ fiscalFundsFen: '500', fiscalFundsFenUnit: 'wan', version: '0', _csrf: t1 });
    expect(saved.status).to.equal(302);
    const shaanxi = await loginAs(app, users.shaanxi);
    const page = await shaanxi.get(`/pairings/${js.county.id}/agreements/2024`);
    expect(page.text).to.contain('协议目标由帮扶方工作人员填报');
    expect(page.text).to.not.contain(`action="/pairings/${js.county.id}/agreements/2024"`);
    const t2 = await csrfFor(shaanxi, `/pairings/${js.county.id}/agreements/2024`);
    const refused = await shaanxi
      .post(`/pairings/${js.county.id}/agreements/2024`)
      .type('form')
      .send({ fiscalFundsFen: '1', fiscalFundsFenUnit: 'wan', version: '1', _csrf: t2 });
    expect(refused.status).to.equal(403);
    const said = await shaanxi
      .post(`/pairings/${js.county.id}/agreements/2024/comments`)
      .type('form')
      .send({ body: '目标偏低，建议上调', _csrf: t2 });
    expect(said.status).to.equal(302);
    expect((await jiangsu.get(`/pairings/${js.county.id}/agreements/2024`)).text).to.contain('目标偏低，建议上调');
  });
});
