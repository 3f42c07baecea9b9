import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { funds } from '../../db/schema/index.ts';
import { FUND_FORM, buildPairing, buildRecord } from '../support/factories.ts';
import { buildApp, buildUser, csrfFor, csrfOf, loginAs } from '../support/app.ts';
import { asUtf8, csvText, fundRow, submitImportForm, templateOf, textOf, uploadImport } from '../support/imports.ts';

/**
 * A side's yearly report (填报/报送): the county office of 姑苏区 submits its 2024 figures, which
 * locks them for it (shown on the pages, refused by the services); 江苏's province office, the
 * level above, returns the report with a reason (the lock lifts) or accepts it. The other side,
 * and the submitter itself, cannot review it.
 */
async function world() {
  const { app, db } = buildApp();
  const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
  const users = {
    gusu: await buildUser(db, { username: 'office.gusu', regionCode: '320508' }),
    jiangsu: await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }),
    shaanxi: await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' }),
    admin: await buildUser(db, { username: 'admin.root', role: 'admin' }),
  };
  const as = {
    gusu: await loginAs(app, users.gusu),
    jiangsu: await loginAs(app, users.jiangsu),
    shaanxi: await loginAs(app, users.shaanxi),
    admin: await loginAs(app, users.admin),
  };
  return { app, db, county, as };
}
type World = Awaited<ReturnType<typeof world>>;
type Agent = World['as']['gusu'];

/** The status line of a side in the pairing page's report panel. */
async function panel(agent: Agent, w: World) {
  const html = (await agent.get(`/pairings/${w.county.id}?year=2024`)).text;
  const row = (side: string) => textOf(new RegExp(`<li class="card" data-side="${side}">[\\s\\S]*?</li>`).exec(html)?.[0] ?? '');
  return { html, assisting: row('assisting'), assisted: row('assisted') };
}

/** Takes one step (submit, accept, return) through its confirmation page, as the browser would. */
async function step(agent: Agent, w: World, side: string, action: string, body: Record<string, string> = {}) {
  const url = `/pairings/${w.county.id}/reports/2024/${side}/${action}`;
  const page = await agent.get(url);
  const once = /name="_once" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return agent
    .post(url)
    .type('form')
    .send({ _csrf: csrfOf(page.text), _once: once, ...body });
}

describe('yearly reports: submitted, locked, returned, accepted', () => {
  it('when the county office submits its 2024 figures, then they are locked for it until 江苏 returns the report; accepted, they stay locked', async () => {
    const w = await world();
    const fund = buildRecord(w.db, 'funds', w.county.id, { ref: 'GS-1' });
    let shown = await panel(w.as.gusu, w);
    expect(shown.assisting).to.include('填报中');
    expect(shown.html).to.include(`/pairings/${w.county.id}/reports/2024/assisting/submit"`);
    expect(shown.assisted).to.include('未开始');

    // the admin sets the year's deadline: the panel shows it
    const deadlinePage = await w.as.admin.get('/admin/deadlines');
    const bad = await w.as.admin
      .post('/admin/deadlines')
      .type('form')
      .send({ _csrf: csrfOf(deadlinePage.text), year: '2024', deadline: '2024-02-30' });
    expect(bad.status).to.equal(422);
    expect(textOf(bad.text)).to.include('请填写有效日期');
    await w.as.admin
      .post('/admin/deadlines')
      .type('form')
      .send({ _csrf: csrfOf(deadlinePage.text), year: '2024', deadline: '2024-12-20' });
    expect((await panel(w.as.gusu, w)).html).to.include('截止日期：2024-12-20');

    expect((await step(w.as.gusu, w, 'assisting', 'submit')).status).to.equal(303);
    shown = await panel(w.as.gusu, w);
    expect(shown.assisting).to.include('已报送').and.include('数据已锁定');
    expect(shown.html).not.to.include(`/reports/2024/assisting/submit"`);
    // the other side sees the status, and may not review it
    expect((await panel(w.as.shaanxi, w)).assisting)
      .to.include('已报送')
      .and.not.include('审核通过');
    expect((await step(w.as.shaanxi, w, 'assisting', 'accept')).status).to.equal(403);
    // the submitter may not review its own report either
    expect((await step(w.as.gusu, w, 'assisting', 'accept')).status).to.equal(403);

    // locked: the record page says so and offers no edit; the services refuse with the reason
    const record = await w.as.gusu.get(`/records/funds/${fund.id}`);
    expect(textOf(record.text)).to.include('本方 2024 年度数据已报送并锁定');
    expect(record.text).not.to.include(`/records/funds/${fund.id}/edit"`);
    const token = await csrfFor(w.as.gusu, `/pairings/${w.county.id}/records/funds/new`);
    const edit = await w.as.gusu
      .post(`/records/funds/${fund.id}`)
      .type('form')
      .send({ ...FUND_FORM, purpose: '改过', version: '1', _csrf: token });
    expect(edit.status).to.equal(409);
    expect(textOf(edit.text)).to.include('本方 2024 年度数据已报送并锁定');
    const added = await w.as.gusu
      .post(`/pairings/${w.county.id}/records/funds`)
      .type('form')
      .send({ ...FUND_FORM, _csrf: token });
    expect(added.status).to.equal(422);
    expect(textOf(added.text)).to.include('本方 2024 年度数据已报送并锁定');
    expect(added.text).to.include('value="产业发展"'); // what was typed is kept
    // another year is not locked
    const other = await w.as.gusu
      .post(`/pairings/${w.county.id}/records/funds`)
      .type('form')
      .send({ ...FUND_FORM, year: '2023', date: '2023-05-01', disbursedOn: '2023-05-02', _csrf: token });
    expect(other.status).to.equal(302);
    // an import of the locked year: its rows are errors naming the lock
    const tpl = await templateOf(w.as.gusu, 'funds');
    const dry = await uploadImport(w.as.gusu, 'funds', 'a.csv', asUtf8(csvText([tpl.labels, tpl.keys, tpl.row(fundRow(7))])));
    expect(textOf(dry.text)).to.include('本方 2024 年度数据已报送并锁定');

    // 江苏, the level above, returns it: a reason is required, then the county office may edit again
    const empty = await step(w.as.jiangsu, w, 'assisting', 'return', { reason: ' ' });
    expect(empty.status).to.equal(422);
    expect((await step(w.as.jiangsu, w, 'assisting', 'return', { reason: '资金用途写得不清楚' })).status).to.equal(303);
    shown = await panel(w.as.gusu, w);
    expect(shown.assisting).to.include('已退回').and.include('退回原因：资金用途写得不清楚');
    const fixed = await w.as.gusu
      .post(`/records/funds/${fund.id}`)
      .type('form')
      .send({ ...FUND_FORM, purpose: '村集体茶园加工厂建设', version: '1', _csrf: token });
    expect(fixed.status).to.equal(302);
    expect(w.db.select().from(funds).where(eq(funds.id, fund.id)).get()!.purpose).to.equal('村集体茶园加工厂建设');

    // submitted again and accepted: still locked
    expect((await step(w.as.gusu, w, 'assisting', 'submit')).status).to.equal(303);
    expect((await step(w.as.jiangsu, w, 'assisting', 'accept')).status).to.equal(303);
    expect((await panel(w.as.shaanxi, w)).assisting).to.include('已审核通过');
    const late = await w.as.gusu
      .post(`/records/funds/${fund.id}`)
      .type('form')
      .send({ ...FUND_FORM, purpose: '又改', version: '2', _csrf: token });
    expect(late.status).to.equal(409);
  });

  it('when figures are locked, then no other way changes them: moving a record into the year, confirming, restoring, undoing an import; and a colleague of the submitter does not review it', async () => {
    const w = await world();
    const office = { ...w.as };
    // an import of the county office, committed before it submits
    const tpl = await templateOf(office.gusu, 'funds');
    const dry = await uploadImport(
      office.gusu,
      'funds',
      'a.csv',
      asUtf8(csvText([tpl.labels, tpl.keys, tpl.row(fundRow(1, { ref: 'IMP-1' }))])),
    );
    expect((await submitImportForm(office.gusu, `/imports/${dry.id}`, `/imports/${dry.id}/commit`))?.status).to.equal(303);
    const earlier = buildRecord(w.db, 'funds', w.county.id, {
      year: 2023,
      date: '2023-05-01',
      disbursedOn: '2023-05-02',
      ref: 'OLD',
    });
    const gone = buildRecord(w.db, 'funds', w.county.id, { ref: 'GONE' });
    const token = await csrfFor(office.gusu, `/pairings/${w.county.id}/records/funds/new`);
    const del = await office.gusu.post(`/records/funds/${gone.id}/delete`).type('form').send({ version: '1', _csrf: token });
    expect(del.status).to.equal(302);
    expect((await step(office.gusu, w, 'assisting', 'submit')).status).to.equal(303);

    // a 2023 record moved into the locked 2024
    const moved = await office.gusu
      .post(`/records/funds/${earlier.id}`)
      .type('form')
      .send({ ...FUND_FORM, version: '1', _csrf: token });
    expect(moved.status).to.equal(422);
    expect(textOf(moved.text)).to.include('本方 2024 年度数据已报送并锁定');
    // the import made before the submission is not undone into the locked year
    const undo = await submitImportForm(office.gusu, `/imports/${dry.id}/undo`, `/imports/${dry.id}/undo`);
    expect(undo?.status).to.equal(303);
    expect(textOf((await office.gusu.get(`/imports/${dry.id}`)).text)).to.include('属于本方已报送的 2024 年度');
    // the admin restores no deleted record into it either
    const adminToken = await csrfFor(office.admin, '/admin/deleted');
    const restored = await office.admin.post(`/records/funds/${gone.id}/restore`).type('form').send({ _csrf: adminToken });
    expect(restored.status).to.equal(409);
    // the other side locked too: it confirms no receipt of the year
    expect((await step(office.shaanxi, w, 'assisted', 'submit')).status).to.equal(303);
    const fund = w.db.select().from(funds).where(eq(funds.ref, 'IMP-1')).get()!;
    const confirmPage = await office.shaanxi.get(`/records/funds/${fund.id}/confirm`);
    expect(confirmPage.status).to.equal(409);
    expect(textOf(confirmPage.text)).to.include('本方本年度数据已报送并锁定，不能确认到账');

    // a report submitted by the province office is reviewed above it (the admin), not by a colleague
    const province = await buildUser(w.db, { username: 'office.jiangsu2', regionCode: '320000' });
    const colleague = await loginAs(w.app, province);
    const returned = await step(office.admin, w, 'assisting', 'return', { reason: '请补录' });
    expect(returned.status).to.equal(303);
    expect((await step(office.jiangsu, w, 'assisting', 'submit')).status).to.equal(303);
    expect((await step(colleague, w, 'assisting', 'accept')).status).to.equal(403);
    expect((await step(office.admin, w, 'assisting', 'accept')).status).to.equal(303);

    // no report of a year that has not come
    const future = await office.gusu.get(`/pairings/${w.county.id}/reports/2099/assisting/submit`);
    const posted = await office.gusu
      .post(`/pairings/${w.county.id}/reports/2099/assisting/submit`)
      .type('form')
      .send({ _csrf: csrfOf(future.text) });
    expect(posted.status).to.equal(409);
  });
});
describe('a report step that is not open to the user says why', () => {
  it('when the other side opens the submit step, or the level above opens accept before anything is submitted, then the page says why it is closed', async () => {
    const w = await world();
    buildRecord(w.db, 'funds', w.county.id, { ref: 'GS-9' });
    const wrongSide = await w.as.shaanxi.get(`/pairings/${w.county.id}/reports/2024/assisting/submit`);
    expect(textOf(wrongSide.text)).to.include('只有这一方的协作办工作人员才能报送它的数据');
    expect(wrongSide.text).not.to.include(`action="/pairings/${w.county.id}/reports/2024/assisting/submit"`);
    const notYet = await w.as.jiangsu.get(`/pairings/${w.county.id}/reports/2024/assisting/accept`);
    expect(textOf(notYet.text)).to.include('这份报送还没有提交');
  });
});
