import { expect } from 'chai';
import supertest from 'supertest';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';

describe('browsing regions', () => {
  it('when a liaison opens the region list, then the 31 provinces show with their zones', async () => {
    const { app, db } = buildApp();
    const agent = await loginAs(app, await buildUser(db, { role: 'liaison', regionCode: '520000' }));
    const res = await agent.get('/regions');
    expect(res.status).to.equal(200);
    expect(res.text.match(/<tr class="zone-/g)).to.have.length(31);
    expect(res.text).to.contain('江苏省');
    expect(res.text).to.contain('东部（帮扶方）');
  });

  it('when a province is opened, then its prefectures are listed and a prefecture leads to its counties', async () => {
    const { app, db } = buildApp();
    const agent = await loginAs(app, await buildUser(db));
    const jiangsu = await agent.get('/regions/320000');
    expect(jiangsu.text).to.contain('href="/regions/320500"');
    const suzhou = await agent.get('/regions/320500');
    expect(suzhou.text).to.contain('姑苏区');
    expect(suzhou.text).to.contain('href="/regions/320000"'); // breadcrumb back up
  });

  it('when searching by Chinese name or by code prefix, then matching regions are listed', async () => {
    const { app, db } = buildApp();
    const agent = await loginAs(app, await buildUser(db));
    const byName = await agent.get(`/regions?q=${encodeURIComponent('铜仁')}`);
    expect(byName.text).to.contain('href="/regions/520600"');
    const byCode = await agent.get('/regions?q=6105');
    expect(byCode.text).to.contain('渭南市');
    const none = await agent.get(`/regions?q=${encodeURIComponent('不存在的地方')}`);
    expect(none.text).to.contain('没有找到匹配的行政区划');
  });

  it('when a code is unknown or malformed, then the answer is 404', async () => {
    const { app, db } = buildApp();
    const agent = await loginAs(app, await buildUser(db));
    for (const code of ['999999', 'abc', '32', '<script>']) {
      expect((await agent.get(`/regions/${encodeURIComponent(code)}`)).status, code).to.equal(404);
    }
  });

  it('when an admin sets a zone, then the page and the (kept) province list show it; a bad zone gives 422; staff cannot', async () => {
    const { app, db } = buildApp();
    const admin = await loginAs(app, await buildUser(db, { role: 'admin' }));
    const zoneInList = async () =>
      /<tr class="zone-(\w+)"><td class="code">430000</.exec((await admin.get('/regions')).text)?.[1];
    expect(await zoneInList()).to.equal('none');
    const token = await csrfFor(admin, '/regions/430000');
    const saved = await admin.post('/regions/430000/zone').type('form').send({ _csrf: token, zone: 'west' });
    expect(saved.status).to.equal(302);
    const page = await admin.get('/regions/430000');
    expect(page.text).to.contain('已将 湖南省 的协作分区改为「西部（受援方）」');
    expect(await zoneInList()).to.equal('west');
    const bad = await admin.post('/regions/430000/zone').type('form').send({ _csrf: token, zone: 'north' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('请从列表中选择');

    const staff = await loginAs(app, await buildUser(db));
    const staffToken = await csrfFor(staff, '/');
    expect((await staff.post('/regions/430000/zone').type('form').send({ _csrf: staffToken, zone: 'east' })).status).to.equal(
      403,
    );
  });
});

describe('health', () => {
  it('when the database answers, then /healthz says ok without creating a session', async () => {
    const { app } = buildApp();
    const res = await supertest(app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
    expect(res.headers['set-cookie']).to.equal(undefined);
  });

  it('when the database is closed, then /healthz answers 503', async () => {
    const { app, db } = buildApp();
    db.$client.close();
    const res = await supertest(app).get('/healthz');
    expect(res.status).to.equal(503);
  });

  it('when a page does not exist, then the 404 page is in the app’s look, and JSON clients get JSON', async () => {
    const { app } = buildApp();
    const html = await supertest(app).get('/no/such/page');
    expect(html.status).to.equal(404);
    expect(html.text).to.contain('页面不存在');
    expect(html.text).to.contain('/assets/app.css');
    const json = await supertest(app).get('/no/such/page').set('Accept', 'application/json');
    expect(json.body).to.deep.equal({ error: { status: 404, message: '您要找的页面不存在，或不在您的管辖范围内。' } });
  });
});
