import { expect } from 'chai';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildPairing } from '../support/factories.ts';

/** A link from the home page leads to everything in the user's scope (a province office: every pair below it). */
describe('home page links lead to the whole scope', () => {
  it('when 江苏’s office follows 我的结对关系, then the list holds every pairing with a side in 江苏, not only those naming 江苏省 itself', async () => {
    const { app, db } = buildApp();
    const province = buildPairing(db);
    const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const city = buildPairing(db, { level: 'city', assistingCode: '320500', assistedCode: '610100' });
    const elsewhere = buildPairing(db, { assistingCode: '440000', assistedCode: '520000' });
    const office = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    const home = await office.get('/');
    const href = /<a class="button primary" href="([^"]+)">我的结对关系<\/a>/.exec(home.text)?.[1]?.replace(/&#x3D;/g, '=');
    expect(href).to.be.a('string');
    const list = await office.get(href!);
    for (const p of [province, county, city]) expect(list.text).to.include(`href="/pairings/${p.id}"`);
    expect(list.text).not.to.include(`href="/pairings/${elsewhere.id}"`);
  });
});
