import { createHash } from 'node:crypto';
import { expect } from 'chai';
import supertest from 'supertest';
import { findByHashSql } from '../../server/tokens/tokens.service.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { bearer, tokenFor } from '../support/api.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';

/**
 * Personal access tokens for the read API (issue 10, item 3): made on the profile page and shown
 * once, stored as a hash, revoked there; refused once revoked or expired; rate limited and audited.
 */
const DAY = 24 * 60 * 60 * 1000;

async function world(env: NodeJS.ProcessEnv = {}) {
  const clock = { now: new Date('2024-06-15T02:00:00Z') };
  const { app, db } = buildApp(undefined, env, () => clock.now);
  const js = buildJiangsuShaanxi(db);
  const liaison = await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' });
  const api = (token: string, url = '/api/v1/pairings') => supertest(app).get(url).set(bearer(token));
  const tokenRows = () =>
    db.$client.prepare('SELECT * FROM access_tokens ORDER BY id').all() as {
      id: number;
      token_hash: string;
      prefix: string;
      last_used_at: number | null;
      expires_at: number;
    }[];
  const audit = (action: string) =>
    db.$client.prepare("SELECT * FROM audit_log WHERE entity = 'access_token' AND action = ? ORDER BY id").all(action) as {
      actor_id: number;
      entity_id: string;
      after: string | null;
      before: string | null;
    }[];
  return { app, db, js, liaison, clock, api, tokenRows, audit };
}

describe('access tokens for the read API', () => {
  it('when a user makes a token on the profile page, then it is shown once, only its hash is kept, and it reads the API', async () => {
    const w = await world();
    const { agent, token, body, page } = await tokenFor(w.app, w.liaison, { days: '30' });
    expect(token).to.match(/^ewc_[A-Za-z0-9_-]{43}$/);
    expect(page.headers['cache-control']).to.equal('no-store');

    const [row] = w.tokenRows();
    expect(row!.token_hash).to.equal(createHash('sha256').update(token).digest('hex'));
    expect(row!.prefix).to.equal(token.slice(0, 10));
    expect(row!.expires_at - w.clock.now.getTime()).to.equal(30 * DAY);
    const stored = JSON.stringify(w.db.$client.prepare('SELECT * FROM access_tokens').all());
    expect(stored).to.not.include(token);
    const created = w.audit('create');
    expect(created).to.have.length(1);
    expect(JSON.stringify(created)).to.not.include(token).and.not.include(row!.token_hash);

    const profile = await agent.get('/account');
    expect(profile.text).to.include(row!.prefix).and.not.include(token);
    // the same form sent again (a reload, a double click) makes nothing and shows nothing
    const again = await agent.post('/account/tokens').type('form').send(body);
    expect(again.status).to.equal(303);
    expect(again.headers.location).to.equal('/account');
    expect(again.text).to.not.include(token);
    expect(w.tokenRows()).to.have.length(1);

    const res = await w.api(token);
    expect(res.status).to.equal(200);
    expect((res.body as { total: number }).total).to.equal(2);
  });

  it('when the form has no name or an unoffered lifetime, then it comes back with 422 and makes nothing', async () => {
    const w = await world();
    const agent = await loginAs(w.app, w.liaison);
    const form = formFor((await agent.get('/account')).text, '/account/tokens')!;
    expect(form.options.days).to.deep.equal(['30', '90', '365']);
    expect(form.fields.days).to.equal('90');
    const res = await agent
      .post('/account/tokens')
      .type('form')
      .send({ ...form.fields, name: '', days: '3650' });
    expect(res.status).to.equal(422);
    expect(res.text).to.not.include('id="new-token"');
    expect(w.tokenRows()).to.have.length(0);
  });

  it('when a token is revoked on the profile page, after a confirmation, then it stops working at once', async () => {
    const w = await world();
    const { agent, token, id } = await tokenFor(w.app, w.liaison);
    expect((await w.api(token)).status).to.equal(200);
    const confirm = await agent.get(`/account/tokens/${id}/revoke`);
    expect(confirm.status).to.equal(200);
    const form = formFor(confirm.text, `/account/tokens/${id}/revoke`)!;
    const done = await agent.post(form.action).type('form').send(form.fields);
    expect(done.status).to.equal(302);
    const res = await w.api(token);
    expect(res.status).to.equal(401);
    expect(res.body).to.deep.include({ error: { code: 'unauthorized', message: '访问令牌已吊销。' } });
    const revoked = w.audit('revoke');
    expect(revoked).to.have.length(1);
    expect(JSON.stringify(revoked)).to.not.include(token).and.not.include(w.tokenRows()[0]!.token_hash);
  });

  it('when someone names another user’s token on the revoke pages, then they answer 404 and the token keeps working', async () => {
    const w = await world();
    const theirs = await tokenFor(w.app, w.liaison);
    const other = await buildUser(w.db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' });
    const agent = await loginAs(w.app, other);
    expect((await agent.get(`/account/tokens/${theirs.id}/revoke`)).status).to.equal(404);
    const page = await agent.get('/account');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const res = await agent.post(`/account/tokens/${theirs.id}/revoke`).type('form').send({ _csrf: csrf });
    expect(res.status).to.equal(404);
    expect((await w.api(theirs.token)).status).to.equal(200);
  });

  it('when a token has expired, or its user is disabled, then it answers 401', async () => {
    const w = await world();
    const { token } = await tokenFor(w.app, w.liaison, { days: '30' });
    w.clock.now = new Date(w.clock.now.getTime() + 30 * DAY - 1000);
    expect((await w.api(token)).status).to.equal(200);
    w.clock.now = new Date(w.clock.now.getTime() + 1000);
    const expired = await w.api(token);
    expect(expired.status).to.equal(401);
    expect((expired.body as { error: { message: string } }).error.message).to.include('已过期');

    const second = await tokenFor(w.app, w.liaison);
    w.db.$client.prepare('UPDATE users SET active = 0 WHERE id = ?').run(w.liaison.id);
    expect((await w.api(second.token)).status).to.equal(401);
  });

  it('when a token is malformed or unknown, or the header is not a bearer, then it answers 401 even with a session', async () => {
    const w = await world();
    const agent = await loginAs(w.app, w.liaison);
    expect((await agent.get('/api/v1/pairings')).status, 'the session alone reads').to.equal(200);
    for (const header of ['Bearer nonsense', `Bearer ewc_${'A'.repeat(43)}`, 'Basic dXNlcjpwYXNz', 'Bearer']) {
      const res = await agent.get('/api/v1/pairings').set('Authorization', header);
      expect(res.status, header).to.equal(401);
      expect((res.body as { error: { code: string } }).error.code).to.equal('unauthorized');
    }
  });

  it('when a user must still choose a new password, then their token is refused with 403 (a second guard: an admin’s reset also revokes it)', async () => {
    const w = await world();
    const { token } = await tokenFor(w.app, w.liaison);
    w.db.$client.prepare('UPDATE users SET must_change_password = 1 WHERE id = ?').run(w.liaison.id);
    const res = await w.api(token);
    expect(res.status).to.equal(403);
    expect((res.body as { error: { code: string } }).error.code).to.equal('forbidden');
  });

  it('when a token is used, then its last use is written at most once a minute and one audit row a day', async () => {
    const w = await world();
    const { token } = await tokenFor(w.app, w.liaison);
    const start = w.clock.now.getTime();
    await w.api(token);
    await w.api(token, '/api/v1/regions');
    expect(w.tokenRows()[0]!.last_used_at).to.equal(start);
    w.clock.now = new Date(start + 59_000);
    await w.api(token);
    expect(w.tokenRows()[0]!.last_used_at).to.equal(start);
    w.clock.now = new Date(start + 61_000);
    await w.api(token);
    expect(w.tokenRows()[0]!.last_used_at).to.equal(start + 61_000);
    expect(w.audit('use')).to.have.length(1);
    // the next day in Beijing (UTC+8) begins at 16:00 UTC
    w.clock.now = new Date('2024-06-15T16:00:00Z');
    await w.api(token);
    const uses = w.audit('use');
    expect(uses).to.have.length(2);
    expect(uses.map((u) => (JSON.parse(u.after!) as { day: string }).day)).to.deep.equal(['2024-06-15', '2024-06-16']);
    expect(JSON.parse(uses[0]!.after!)).to.include({ first: 'GET /api/v1/pairings', name: '统计脚本' });
    expect(uses.every((u) => u.actor_id === w.liaison.id)).to.equal(true);
  });

  it('when a token makes more requests a minute than allowed, then it gets 429 in JSON, and other users’ tokens and sessions do not', async () => {
    const w = await world({ API_RATE_LIMIT: '3' });
    const { agent, token } = await tokenFor(w.app, w.liaison);
    // another user's: a second token of the same user shares its limit (api-tokens-limits.test.ts)
    const other = await tokenFor(
      w.app,
      await buildUser(w.db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' }),
    );
    for (let i = 0; i < 3; i++) expect((await w.api(token)).status).to.equal(200);
    const limited = await w.api(token);
    expect(limited.status).to.equal(429);
    expect((limited.body as { error: { code: string } }).error.code).to.equal('rate_limited');
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
    expect((await w.api(other.token)).status).to.equal(200);
    for (let i = 0; i < 5; i++) expect((await agent.get('/api/v1/pairings')).status).to.equal(200);
  });

  it('when a token is looked up, then SQLite searches the unique index on its hash', () => {
    const { db } = buildApp();
    const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${findByHashSql(db)}`).all('0'.repeat(64)) as { detail: string }[];
    expect(plan.map((r) => r.detail)).to.deep.equal([
      'SEARCH access_tokens USING INDEX access_tokens_token_hash_unique (token_hash=?)',
    ]);
  });
});
