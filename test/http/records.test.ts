import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { auditLog, funds, talents } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

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

const transfer = {
  year: '2024',
  date: '2024-03-01',
  kind: 'fiscal',
  form: 'money',
  committedFen: '1,234.5',
  committedFenUnit: 'wan',
  disbursedFen: '1,234.5',
  disbursedFenUnit: 'wan',
  disbursedOn: '2024-03-20',
  purpose: '产业发展',
};

describe('records under a pairing, shared by both sides', () => {
  it('when 江苏 records a transfer with a typo, fixes it, and 陕西 confirms, then both sides and their liaison see the same figure, and 贵州 sees nothing', async () => {
    const { app, db, js, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const form = await jiangsu.get(`/pairings/${js.county.id}/records/funds/new`);
    expect(form.status).to.equal(200);
    const token = await csrfFor(jiangsu, `/pairings/${js.county.id}/records/funds/new`);

    const typo = await jiangsu
      .post(`/pairings/${js.county.id}/records/funds`)
      .type('form')
      .send({ ...transfer, committedFen: '1,234.5x', _csrf: token });
    expect(typo.status).to.equal(422);
    expect(typo.text).to.contain('请填写金额数字');
    expect(typo.text).to.contain('value="1,234.5x"'); // what they typed is kept
    expect(typo.text).to.contain('value="产业发展"');
    expect(db.select().from(funds).all()).to.have.length(0);

    const saved = await jiangsu
      .post(`/pairings/${js.county.id}/records/funds`)
      .type('form')
      .send({ ...transfer, _csrf: token });
    expect(saved.status).to.equal(302);
    const [row] = db.select().from(funds).all();
    expect(row).to.include({ committedFen: 1_234_500_000, disbursedFen: 1_234_500_000, confirmation: 'unconfirmed' });

    const shaanxi = await loginAs(app, users.shaanxi);
    const confirmPage = await shaanxi.get(`/records/funds/${row!.id}/confirm`);
    expect(confirmPage.status).to.equal(200);
    const t2 = await csrfFor(shaanxi, `/records/funds/${row!.id}/confirm`);
    const confirmed = await shaanxi
      .post(`/records/funds/${row!.id}/confirm`)
      .type('form')
      .send({ receivedFen: '12,345,000', receivedFenUnit: 'yuan', version: '1', _csrf: t2 });
    expect(confirmed.status).to.equal(302);
    expect(db.select().from(funds).get()).to.include({ confirmation: 'confirmed', receivedFen: 1_234_500_000 });

    const figure = (html: string) => /data-measure="fiscalFunds">[\s\S]*?<td class="num value"[^>]*>([^<]*)</.exec(html)?.[1];
    const seenByJiangsu = figure((await jiangsu.get(`/pairings/${js.county.id}?year=2024`)).text);
    const seenByShaanxi = figure((await shaanxi.get(`/pairings/${js.county.id}?year=2024`)).text);
    const liaison = await loginAs(app, users.liaisonShaanxi);
    const seenByLiaison = figure((await liaison.get(`/pairings/${js.county.id}?year=2024`)).text);
    expect(seenByJiangsu).to.equal('1,234.50');
    expect(seenByShaanxi).to.equal(seenByJiangsu);
    expect(seenByLiaison).to.equal(seenByJiangsu);

    const guizhou = await loginAs(app, users.liaisonGuizhou);
    expect((await guizhou.get(`/pairings/${js.county.id}`)).status).to.equal(404);
    expect((await guizhou.get(`/records/funds/${row!.id}`)).status).to.equal(404);
    expect((await guizhou.get('/records/funds')).text).to.not.contain(`/records/funds/${row!.id}"`);
  });

  it('when the assisted side tries to record a transfer, or the assisting side to confirm one, then each is refused', async () => {
    const { app, db, js, users } = await world();
    const fund = buildRecord(db, 'funds', js.county.id);
    const shaanxi = await loginAs(app, users.shaanxi);
    const t = await csrfFor(shaanxi, '/');
    expect(
      (
        await shaanxi
          .post(`/pairings/${js.county.id}/records/funds`)
          .type('form')
          .send({ ...transfer, _csrf: t })
      ).status,
    ).to.equal(403);
    const jiangsu = await loginAs(app, users.jiangsu);
    const t2 = await csrfFor(jiangsu, '/');
    expect(
      (
        await jiangsu
          .post(`/records/funds/${fund.id}/confirm`)
          .type('form')
          .send({ receivedFen: '10000', receivedFenUnit: 'yuan', version: '1', _csrf: t2 })
      ).status,
    ).to.equal(403);
  });

  it('when the amount received differs, then the transfer is marked as a mismatch that both sides see', async () => {
    const { app, db, js, users } = await world();
    const fund = buildRecord(db, 'funds', js.county.id, { disbursedFen: 10_000_00 });
    const shaanxi = await loginAs(app, users.shaanxi);
    const t = await csrfFor(shaanxi, '/');
    await shaanxi
      .post(`/records/funds/${fund.id}/confirm`)
      .type('form')
      .send({ receivedFen: '9000', receivedFenUnit: 'yuan', version: '1', _csrf: t });
    expect(db.select().from(funds).get()).to.include({ confirmation: 'mismatch', receivedFen: 9_000_00 });
    const jiangsu = await loginAs(app, users.jiangsu);
    expect((await jiangsu.get(`/records/funds/${fund.id}`)).text).to.contain('金额不符');
    expect((await jiangsu.get('/records/funds?confirmation=mismatch')).text).to.contain(`/records/funds/${fund.id}"`);
  });

  it('when staff of 江苏 work on a 广东–贵州 pair, then every page, form and action answers 404', async () => {
    const { app, db, gg, users } = await world();
    const fund = buildRecord(db, 'funds', gg.county.id, { locationCode: undefined });
    const jiangsu = await loginAs(app, users.jiangsu);
    const t = await csrfFor(jiangsu, '/');
    for (const path of [
      `/pairings/${gg.county.id}`,
      `/pairings/${gg.county.id}/edit`,
      `/pairings/${gg.county.id}/records/funds/new`,
      `/records/funds/${fund.id}`,
      `/records/funds/${fund.id}/edit`,
      `/pairings/${gg.county.id}/agreements/2024`,
    ]) {
      expect((await jiangsu.get(path)).status, path).to.equal(404);
    }
    for (const path of [
      `/pairings/${gg.county.id}/records/funds`,
      `/records/funds/${fund.id}`,
      `/records/funds/${fund.id}/delete`,
      `/pairings/${gg.county.id}`,
      `/pairings/${gg.county.id}/agreements/2024`,
    ]) {
      expect(
        (
          await jiangsu
            .post(path)
            .type('form')
            .send({ ...transfer, version: '1', _csrf: t })
        ).status,
        `POST ${path}`,
      ).to.equal(404);
    }
    expect(db.select().from(funds).all()).to.have.length(1);
  });

  it('when a 陕西 liaison opens 江苏–陕西 pairs, then they read them, cannot write, and get 404 for 广东–贵州', async () => {
    const { app, db, js, gg, users } = await world();
    const liaison = await loginAs(app, users.liaisonShaanxi);
    expect((await liaison.get(`/pairings/${js.province.id}`)).status).to.equal(200);
    expect((await liaison.get(`/pairings/${js.county.id}`)).status).to.equal(200);
    expect((await liaison.get(`/pairings/${gg.county.id}`)).status).to.equal(404);
    const list = await liaison.get('/pairings');
    expect(list.text).to.contain(`/pairings/${js.county.id}"`);
    expect(list.text).to.not.contain(`/pairings/${gg.county.id}"`);
    const t = await csrfFor(liaison, '/');
    expect((await liaison.post(`/pairings/${js.county.id}/records/consumption`).type('form').send({ _csrf: t })).status).to.equal(
      403,
    );
    expect((await liaison.post(`/pairings/${gg.county.id}/records/consumption`).type('form').send({ _csrf: t })).status).to.equal(
      403,
    );
    void db;
  });

  it('when bad amounts, dates, places or periods are entered, then each field says why, nothing is saved and the form is kept', async () => {
    const { app, db, js, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const t = await csrfFor(jiangsu, '/');
    const post = (kind: string, body: Record<string, string>) =>
      jiangsu
        .post(`/pairings/${js.county.id}/records/${kind}`)
        .type('form')
        .send({ ...body, _csrf: t });

    const cases: [string, Record<string, string>, string][] = [
      ['funds', { ...transfer, committedFen: '100.123', committedFenUnit: 'yuan' }, '金额最多精确到分'],
      ['funds', { ...transfer, committedFen: '-5' }, '金额不能为负数'],
      ['funds', { ...transfer, date: '2023-12-31' }, '日期必须在 2024 年内'],
      ['funds', { ...transfer, date: '2024-02-30' }, '请填写有效日期'],
      [
        'projects',
        { year: '2024', date: '2024-04-01', kind: 'project', name: '茶园', status: 'operating', locationCode: '520602' },
        '项目地点必须在受援方范围内',
      ],
      [
        'talents',
        {
          year: '2024',
          date: '2024-04-01',
          kind: 'cadre',
          direction: 'to_west',
          people: '2',
          startOn: '2024-05-01',
          endOn: '2024-04-01',
        },
        '结束日期不能早于开始日期',
      ],
      [
        'labour',
        {
          year: '2024',
          date: '2024-06-30',
          periodStart: '2024-01-01',
          periodEnd: '2024-06-30',
          destination: 'local',
          people: '10',
          formerlyPoor: '11',
        },
        '不能超过对应的总人数',
      ],
      ['consumption', { year: '2019', date: '2019-05-01', amountFen: '10', products: '茶叶' }, '该结对关系在这一年度未生效'],
    ];
    for (const [kind, body, message] of cases) {
      const res = await post(kind, body);
      expect(res.status, `${kind} ${message}`).to.equal(422);
      expect(res.text, `${kind} ${message}`).to.contain(message);
      expect(res.text).to.contain(`value="${body.date}"`);
    }
    for (const table of [funds, talents]) expect(db.select().from(table).all()).to.have.length(0);
    expect(db.select().from(auditLog).where(eq(auditLog.entity, 'record.funds')).all()).to.have.length(0);
  });

  it('when a record is saved, then one audit row is written with it; when a save fails, then none is', async () => {
    const { app, db, js, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const t = await csrfFor(jiangsu, '/');
    await jiangsu.post(`/pairings/${js.county.id}/records/consumption`).type('form').send({
      year: '2024',
      date: '2024-05-01',
      amountFen: '10',
      amountFenUnit: 'wan',
      products: '茶叶',
      ref: 'XF-001',
      _csrf: t,
    });
    const rows = () => db.select().from(auditLog).where(eq(auditLog.entity, 'record.consumption')).all();
    expect(rows()).to.have.length(1);
    expect(rows()[0]).to.include({ action: 'create', actorId: users.jiangsu.id, pairingId: js.county.id });
    const dup = await jiangsu.post(`/pairings/${js.county.id}/records/consumption`).type('form').send({
      year: '2024',
      date: '2024-05-02',
      amountFen: '10',
      amountFenUnit: 'wan',
      products: '茶叶',
      ref: 'XF-001',
      _csrf: t,
    });
    expect(dup.status).to.equal(422);
    expect(dup.text).to.contain('本结对下已有相同编号的记录');
    expect(rows()).to.have.length(1);
  });

  it('when two people edit the same record, then the later save over the old version gets 409 with the other change shown and its input kept', async () => {
    const { app, db, js, users } = await world();
    const rec = buildRecord(db, 'consumption', js.county.id, { products: '茶叶' });
    // Two people of the side that owns the record (江苏 entered it).
    const jiangsu = await loginAs(app, users.jiangsu);
    const shaanxi = await loginAs(app, await buildUser(db, { username: 'office.suzhou', role: 'staff', regionCode: '320500' }));
    const t1 = await csrfFor(jiangsu, '/');
    const t2 = await csrfFor(shaanxi, '/');
    const edit = { year: '2024', date: '2024-03-01', amountFen: '200', amountFenUnit: 'wan', version: '1' };
    expect(
      (
        await shaanxi
          .post(`/records/consumption/${rec.id}`)
          .type('form')
          .send({ ...edit, products: '辣椒', _csrf: t2 })
      ).status,
    ).to.equal(302);
    const stale = await jiangsu
      .post(`/records/consumption/${rec.id}`)
      .type('form')
      .send({ ...edit, products: '牛肉', _csrf: t1 });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('他人已修改此数据');
    expect(stale.text).to.contain('辣椒'); // their change
    expect(stale.text).to.contain('value="牛肉"'); // my input
    expect(stale.text).to.contain('name="version" value="2"');
  });

  it('when a record is deleted, then it leaves the totals, and an admin can restore it from the deleted list', async () => {
    const { app, db, js, users } = await world();
    const rec = buildRecord(db, 'consumption', js.county.id, { amountFen: 5_000_00 });
    const jiangsu = await loginAs(app, users.jiangsu);
    const t = await csrfFor(jiangsu, `/records/consumption/${rec.id}/delete`);
    expect(
      (await jiangsu.post(`/records/consumption/${rec.id}/delete`).type('form').send({ version: '1', _csrf: t })).status,
    ).to.equal(302);
    expect((await jiangsu.get(`/records/consumption/${rec.id}`)).status).to.equal(404);
    const admin = await loginAs(app, users.admin);
    const deleted = await admin.get('/admin/deleted');
    expect(deleted.text).to.contain(`/records/consumption/${rec.id}/restore`);
    const ta = await csrfFor(admin, '/admin/deleted');
    expect((await jiangsu.post(`/records/consumption/${rec.id}/restore`).type('form').send({ _csrf: t })).status).to.equal(403);
    expect((await admin.post(`/records/consumption/${rec.id}/restore`).type('form').send({ _csrf: ta })).status).to.equal(302);
    expect((await jiangsu.get(`/records/consumption/${rec.id}`)).status).to.equal(200);
    const history = await jiangsu.get(`/records/consumption/${rec.id}`);
    expect(history.text).to.contain('删除').and.to.contain('恢复');
  });
});

describe('record details', () => {
  it('when a cadre’s secondment has start and end dates, then its length is shown; a confirmed transfer offers no second confirmation', async () => {
    const { app, db, js, users } = await world();
    const cadre = buildRecord(db, 'talents', js.county.id, { startOn: '2024-03-01', endOn: '2026-02-28' });
    const fund = buildRecord(db, 'funds', js.county.id);
    const shaanxi = await loginAs(app, users.shaanxi);
    expect((await shaanxi.get(`/records/talents/${cadre.id}`)).text).to.contain('730 天（约 24 个月）');
    expect((await shaanxi.get(`/records/funds/${fund.id}`)).text).to.contain(`/records/funds/${fund.id}/confirm`);
    const t = await csrfFor(shaanxi, '/');
    await shaanxi
      .post(`/records/funds/${fund.id}/confirm`)
      .type('form')
      .send({ receivedFen: '10000', receivedFenUnit: 'yuan', version: '1', _csrf: t });
    expect((await shaanxi.get(`/records/funds/${fund.id}`)).text).to.not.contain(`/records/funds/${fund.id}/confirm`);
  });

  it('when an admin deletes an empty pairing, then it is listed for restoring and comes back', async () => {
    const { app, db, users } = await world();
    const { buildPairing } = await import('../support/factories.ts');
    const lonely = buildPairing(db, { level: 'county', assistingCode: '320509', assistedCode: '610103' });
    const admin = await loginAs(app, users.admin);
    const t = await csrfFor(admin, `/pairings/${lonely.id}/delete`);
    expect((await admin.post(`/pairings/${lonely.id}/delete`).type('form').send({ _csrf: t })).status).to.equal(302);
    expect((await admin.get(`/pairings/${lonely.id}`)).status).to.equal(404);
    expect((await admin.get('/admin/deleted')).text).to.contain(`/pairings/${lonely.id}/restore`);
    await admin.post(`/pairings/${lonely.id}/restore`).type('form').send({ _csrf: t });
    expect((await admin.get(`/pairings/${lonely.id}`)).status).to.equal(200);
  });
});
