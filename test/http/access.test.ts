import { expect } from 'chai';
import supertest from 'supertest';
import { eq } from 'drizzle-orm';
import { sessions } from '../../db/schema/index.ts';
import { routeTable } from '../../server/app.ts';
import { createPassport } from '../../server/auth/auth.passport.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';

/** Fills route parameters with real values so a request reaches the handler. */
function concretePath(path: string): string {
  return path.replace(':id', '1').replace(':code', '320000').replace(':locale', 'en');
}

describe('who may open what', () => {
  const { db: tableDb } = buildApp();
  const routes = routeTable(
    { db: tableDb, config: loadConfig({ NODE_ENV: 'test' }), logger: createLogger('silent') },
    createPassport(tableDb),
  );

  it('when the route table is walked anonymously, then every non-public page sends to the login page', async () => {
    const { app } = buildApp();
    const guarded = routes.filter((r) => r.access !== 'public' && r.method === 'get');
    expect(guarded.length).to.be.greaterThan(5);
    for (const route of guarded) {
      const res = await supertest(app).get(concretePath(route.path));
      // the read API tells a program 401, in JSON, rather than sending it to a page
      expect(res.status, `${route.method} ${route.path}`).to.equal(route.api ? 401 : 302);
      if (!route.api) expect(res.headers.location).to.match(/^\/login/);
    }
  });

  it('when a liaison walks every admin route, then each answers 403', async () => {
    const { app, db } = buildApp();
    await buildUser(db, { role: 'admin', username: 'the.admin' });
    const liaison = await buildUser(db, { role: 'liaison', regionCode: '610000' });
    const agent = await loginAs(app, liaison);
    const token = await csrfFor(agent, '/');
    const adminOnly = routes.filter((r) => Array.isArray(r.access) && r.access.length === 1 && r.access[0] === 'admin');
    expect(adminOnly.length).to.be.greaterThan(5);
    for (const route of adminOnly) {
      const path = concretePath(route.path);
      const res =
        route.method === 'get' ? await agent.get(path) : await agent.post(path).type('form').send({ _csrf: token, zone: 'west' });
      expect(res.status, `${route.method} ${route.path}`).to.equal(403);
      expect(res.text).to.contain('无权访问');
    }
  });

  for (const role of ['staff', 'liaison', 'evaluator'] as const) {
    it(`when ${role === 'evaluator' ? 'an' : 'a'} ${role} logs in, then home and regions open, the user admin does not, and the menu hides it`, async () => {
      const { app, db } = buildApp();
      const user = await buildUser(db, { role });
      const agent = await loginAs(app, user);
      const home = await agent.get('/');
      expect(home.status).to.equal(200);
      expect(home.text).to.not.contain('href="/admin/users"');
      expect((await agent.get('/regions')).status).to.equal(200);
      expect((await agent.get('/admin/users')).status).to.equal(403);
    });
  }

  it('when an admin logs in, then the user admin opens and is in the menu', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { role: 'admin' });
    const agent = await loginAs(app, admin);
    const home = await agent.get('/');
    expect(home.text).to.contain('href="/admin/users"');
    expect((await agent.get('/admin/users')).status).to.equal(200);
  });

  it('when an admin disables a user, then that user is logged out at once and cannot log in again', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { role: 'admin' });
    const staff = await buildUser(db);
    const staffAgent = await loginAs(app, staff);
    expect((await staffAgent.get('/')).status).to.equal(200);

    const adminAgent = await loginAs(app, admin);
    const confirm = await adminAgent.get(`/admin/users/${staff.id}/disable`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('确定停用用户');
    const token = await csrfFor(adminAgent, `/admin/users/${staff.id}/disable`);
    const res = await adminAgent.post(`/admin/users/${staff.id}/disable`).type('form').send({ _csrf: token });
    expect(res.status).to.equal(302);

    expect(db.select().from(sessions).where(eq(sessions.userId, staff.id)).all()).to.have.length(0);
    const after = await staffAgent.get('/');
    expect(after.status).to.equal(302);
    expect(after.headers.location).to.match(/^\/login/);
    const again = supertest.agent(app);
    const t2 = await csrfFor(again);
    const retry = await again.post('/login').type('form').send({ username: staff.username, password: staff.password, _csrf: t2 });
    expect(retry.status).to.equal(401);
  });

  it('when an admin resets a password, then the old sessions end and only the new password works', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { role: 'admin' });
    const staff = await buildUser(db);
    const staffAgent = await loginAs(app, staff);
    const adminAgent = await loginAs(app, admin);
    const token = await csrfFor(adminAgent, `/admin/users/${staff.id}/password`);
    const res = await adminAgent
      .post(`/admin/users/${staff.id}/password`)
      .type('form')
      .send({ _csrf: token, password: 'a-brand-new-password', passwordConfirm: 'a-brand-new-password' });
    expect(res.status).to.equal(302);
    expect((await staffAgent.get('/')).status).to.equal(302);
    await loginAs(app, { username: staff.username, password: 'a-brand-new-password' });
  });
});
