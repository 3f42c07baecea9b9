import { expect } from 'chai';
import supertest from 'supertest';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/**
 * A page of someone's data is never stored by a browser or a proxy: after a logout, Back or a shared
 * cache must not show it. The stylesheet, the same for everyone, stays cacheable.
 */
describe('what browsers and proxies may keep', () => {
  it('when 江苏 staff open their pages (and a visitor the login page), then each page says no-store and carries no ETag; the stylesheet keeps its validator', async () => {
    const { app, db } = buildApp();
    const { county } = buildJiangsuShaanxi(db);
    const fund = buildRecord(db, 'funds', county.id);
    const staff = await loginAs(app, await buildUser(db));
    for (const path of ['/', '/pairings', `/pairings/${county.id}`, '/records/funds', `/records/funds/${fund.id}`]) {
      const res = await staff.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.headers['cache-control'], path).to.equal('no-store');
      expect(res.headers.etag, path).to.equal(undefined);
    }
    const login = await supertest(app).get('/login');
    expect(login.headers['cache-control']).to.equal('no-store');
    const missing = await staff.get('/no-such-page');
    expect(missing.headers['cache-control']).to.equal('no-store');
    const css = await staff.get('/assets/app.css');
    expect(css.status).to.equal(200);
    expect(css.headers.etag).to.be.a('string');
    expect(css.headers['cache-control']).to.not.equal('no-store');
  });
});
