import { expect } from 'chai';
import { allRoutes, fill, routeKey, routeWorld, tokenOf, ACCOUNT_OF, ROLES, type RouteWorld } from './routes.support.ts';

/**
 * Every route of the route table, as an attacker with a real account would try it (issue 8):
 * ids outside one's scope are pages that do not exist, unsafe requests need the CSRF token, and
 * admin pages refuse everyone else. New routes are covered by being in the table.
 */
const routes = allRoutes();

/** Path parameters that name something inside a region's scope (an id, a record, a scorecard). */
const SCOPED = /:(id|rid|key)\b/;
/** Admin-only routes see everything by design: scope does not apply to them. */
const adminOnly = (access: unknown) => Array.isArray(access) && access.length === 1 && access[0] === 'admin';

describe('security: every route of the table', function () {
  this.timeout(120_000);
  let w: RouteWorld;
  before(async () => {
    w = await routeWorld();
  });

  it('the table is walked (it has the routes the suite expects to find)', () => {
    expect(routes.length).to.be.greaterThan(50);
    expect(routes.filter((r) => SCOPED.test(r.path) && !adminOnly(r.access)).length).to.be.greaterThan(15);
  });

  it('when a route names something outside the user’s scope, then it answers 404 (GET and POST)', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => SCOPED.test(r.path) && !adminOnly(r.access))) {
      // 江苏's office for every route it may call; otherwise a liaison of 陕西 (also outside 广东–贵州).
      const who = route.access === 'user' || route.access.includes('staff') ? 'jiangsu' : 'liaison';
      const agent = await w.as(who);
      const url = fill(route.path, w.params.foreign);
      const res =
        route.method === 'get'
          ? await agent.get(url)
          : await agent
              .post(url)
              .type('form')
              .send({ _csrf: await tokenOf(agent), version: '1' });
      if (res.status !== 404) wrong.push(`${routeKey(route)} → ${res.status}`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('when an admin (whose scope is everything) sends the same requests, then they do not answer 404 (so the test above can fail)', async () => {
    const wrong: string[] = [];
    const admin = await w.as('admin');
    // Deletes go last: what they remove must still be there for the other routes.
    const last = (r: { path: string }) => (r.path.endsWith('/delete') ? 1 : 0);
    const scoped = routes.filter((r) => SCOPED.test(r.path) && !adminOnly(r.access)).sort((a, b) => last(a) - last(b));
    for (const route of scoped) {
      if (!(route.access === 'user' || route.access.includes('staff'))) continue;
      if (/\/pdf$|\/evidence\/:id$/.test(route.path)) continue; // a browser, an uploaded file: not in this world
      if (/\/restore$/.test(route.path)) continue; // restoring what is not deleted is rightly a 404
      if (route.path.startsWith('/api/v1/assessment/')) continue; // the API serves published years; this one is not
      const url = fill(route.path, w.params.foreign);
      const res =
        route.method === 'get'
          ? await admin.get(url)
          : await admin
              .post(url)
              .type('form')
              .send({ _csrf: await tokenOf(admin), version: '1' });
      if (res.status === 404) wrong.push(`${routeKey(route)} → 404 for an admin`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('when a scorecard outside the user’s scope is named in a form’s body, then it answers 404 too', async () => {
    const agent = await w.as('jiangsu');
    const body = { _csrf: await tokenOf(agent), kind: 'self', indicatorKey: '', text: '自评说明' };
    const foreign = await agent
      .post('/assessment/2024/inputs')
      .type('form')
      .send({ ...body, objectKey: w.params.foreign.key });
    expect(foreign.status).to.equal(404);
    const own = await agent
      .post('/assessment/2024/inputs')
      .type('form')
      .send({ ...body, objectKey: w.params.own.key });
    expect(own.status).to.not.equal(404);
  });

  it('when an unsafe request comes without the CSRF token, then it answers 403 and changes nothing', async () => {
    const wrong: string[] = [];
    const count = () => (w.db.$client.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const before = count();
    for (const route of routes.filter((r) => r.method === 'post')) {
      const agent = await w.as(route.access === 'public' ? 'anonymous' : 'admin');
      const res = await agent.post(fill(route.path, w.params.own)).type('form').send({ version: '1', body: 'x' });
      if (res.status !== 403) wrong.push(`${routeKey(route)} → ${res.status}`);
      else if (!res.text.includes('表单校验失败')) wrong.push(`${routeKey(route)}: 403 without the CSRF message`);
    }
    expect(wrong).to.deep.equal([]);
    expect(count()).to.equal(before);
  });

  it('when another role opens an admin route, then it answers 403 with a clear page', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => adminOnly(r.access))) {
      for (const role of ROLES.filter((r) => r !== 'admin')) {
        const agent = await w.as(ACCOUNT_OF[role]);
        const url = fill(route.path, { ...w.params.own, id: w.users.liaison.id });
        const res =
          route.method === 'get'
            ? await agent.get(url)
            : await agent
                .post(url)
                .type('form')
                .send({ _csrf: await tokenOf(agent) });
        if (res.status !== 403) wrong.push(`${routeKey(route)} as ${role} → ${res.status}`);
        else if (!res.text.includes('没有访问此页面的权限')) wrong.push(`${routeKey(route)} as ${role}: no clear message`);
      }
    }
    expect(wrong).to.deep.equal([]);
  });

  it('when an anonymous visitor opens any page but the public ones, then it is sent to the login page', async () => {
    const wrong: string[] = [];
    const anonymous = await w.as('anonymous');
    for (const route of routes.filter((r) => r.method === 'get' && r.access !== 'public' && !r.api)) {
      const res = await anonymous.get(fill(route.path, w.params.own));
      if (res.status !== 302 || !String(res.headers.location).startsWith('/login'))
        wrong.push(`${routeKey(route)} → ${res.status}`);
    }
    expect(wrong).to.deep.equal([]);
  });

  it('when a program calls any route of the read API without credentials, then it answers 401 in JSON', async () => {
    const wrong: string[] = [];
    const anonymous = await w.as('anonymous');
    const api = routes.filter((r) => r.api && r.access !== 'public');
    expect(api.length).to.be.greaterThan(10);
    for (const route of api) {
      const res = await anonymous.get(fill(route.path, w.params.own));
      const body = res.body as { error?: { code?: string } };
      if (res.status !== 401 || body.error?.code !== 'unauthorized') wrong.push(`${routeKey(route)} → ${res.status}`);
    }
    expect(wrong).to.deep.equal([]);
  });
});
