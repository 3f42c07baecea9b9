import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { pairings, projects } from '../../db/schema/index.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';
import { buildApp, buildUser, csrfFor, csrfOf, loginAs } from '../support/app.ts';
import { textOf } from '../support/imports.ts';

/**
 * Every region field is a picker: a name (or the start of one), a name path or a code is read on
 * the server; an ambiguous name comes back with its candidates to choose from (no script needed);
 * the script's suggestions come from /regions/suggest.
 */
describe('region picker: names, not codes', () => {
  it('when 昆山 or 320583 is typed, then the suggestions and the form find 昆山市; an ambiguous 新城区 lists its candidates to choose from', async () => {
    const { app, db } = buildApp();
    const admin = await loginAs(app, await buildUser(db, { username: 'admin.root', role: 'admin' }));
    const byName = (await admin.get('/regions/suggest?q=昆山')).body as { code: string; fullName: string }[];
    expect(byName[0]).to.deep.equal({ code: '320583', fullName: '江苏省 苏州市 昆山市' });
    const byCode = (await admin.get('/regions/suggest?q=320583')).body as { code: string }[];
    expect(byCode.map((r) => r.code)).to.include('320583');

    const token = await csrfFor(admin, '/pairings/new');
    const form = { _csrf: token, level: 'county', startYear: '2021', status: 'active' };
    // a start of a name, and a suggestion as the script fills it in (name with its code)
    const created = await admin
      .post('/pairings')
      .type('form')
      .send({ ...form, assistingCode: '昆山', assistedCode: '陕西省 西安市 新城区（610102）' });
    expect(created.status, textOf(created.text).slice(0, 300)).to.equal(302);
    expect(
      db
        .select()
        .from(pairings)
        .all()
        .map((p) => [p.assistingCode, p.assistedCode]),
    ).to.deep.equal([['320583', '610102']]);

    // 新城区 names two counties: the form comes back with both to choose from, and what was typed
    const ambiguous = await admin
      .post('/pairings')
      .type('form')
      .send({ ...form, assistingCode: '320585', assistedCode: '新城区' });
    expect(ambiguous.status).to.equal(422);
    const text = textOf(ambiguous.text);
    expect(text).to.include('有 2 个地区与此名称相符');
    expect(text).to.include('内蒙古自治区 呼和浩特市 新城区').and.include('陕西省 西安市 新城区');
    expect(ambiguous.text).to.include('name="assistedCodeChoice" value="610102"');
    expect(ambiguous.text).to.include('value="新城区"');
    // choosing one (no script): it is taken
    const chosen = await admin
      .post('/pairings')
      .type('form')
      .send({ ...form, assistingCode: '320585', assistedCode: '新城区', assistedCodeChoice: '610102' });
    expect(chosen.status).to.equal(302);
    expect(db.select().from(pairings).all()).to.have.length(2);

    const unknown = await admin
      .post('/pairings')
      .type('form')
      .send({ ...form, assistingCode: '不存在县', assistedCode: '610102' });
    expect(unknown.status).to.equal(422);
    expect(textOf(unknown.text)).to.include('找不到这个行政区划');
  });

  it('when a project is shown or edited, then its location reads as a name with its code, and saving it unchanged keeps the code', async () => {
    const { app, db } = buildApp();
    const pair = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const project = buildRecord(db, 'projects', pair.id, { locationCode: '610102' });
    const office = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
    const page = textOf((await office.get(`/records/projects/${project.id}`)).text);
    expect(page).to.include('陕西省 西安市 新城区（610102）');
    const edit = await office.get(`/records/projects/${project.id}/edit`);
    expect(edit.text).to.include('value="陕西省 西安市 新城区（610102）"');
    const values = Object.fromEntries(
      [...edit.text.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)].map((m) => [m[1], m[2]!.replace(/&#x3D;/g, '=')]),
    );
    const selects = Object.fromEntries(
      [...edit.text.matchAll(/<select[^>]*name="([^"]+)"[\s\S]*?<option value="([^"]*)"[^>]*selected/g)].map((m) => [m[1], m[2]]),
    );
    const saved = await office
      .post(`/records/projects/${project.id}`)
      .type('form')
      .send({ ...values, ...selects, _csrf: csrfOf(edit.text) });
    expect(saved.status, textOf(saved.text).slice(0, 400)).to.equal(302);
    expect(db.select().from(projects).where(eq(projects.id, project.id)).get()!.locationCode).to.equal('610102');
  });

  it('when a list is filtered by a name, then one match becomes its code in the URL, and several are offered to choose from', async () => {
    const { app, db } = buildApp();
    const suzhou = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const nanjing = buildPairing(db, { level: 'county', assistingCode: '320102', assistedCode: '610103' });
    const office = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
    const one = await office.get('/pairings?region=苏州市&year=2024');
    expect(one.status).to.equal(302);
    expect(one.headers.location).to.equal('/pairings?region=3205&year=2024');
    const list = await office.get(one.headers.location!);
    expect(list.text).to.include(`href="/pairings/${suzhou.id}"`).and.not.include(`href="/pairings/${nanjing.id}"`);
    // the field keeps the code; the page says which region that is
    expect(textOf(list.text)).to.include('已按地区筛选：江苏省 苏州市');
    const several = await office.get('/records/funds?region=新城区');
    expect(several.status).to.equal(200);
    expect(textOf(several.text)).to.include('有多个地区与“新城区”相符');
    expect(several.text).to.include('href="/records/funds?region&#x3D;610102"');
  });
});
