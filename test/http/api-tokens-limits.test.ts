import { expect } from 'chai';
import supertest from 'supertest';
import type { Agent } from 'supertest';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { bearer, tokenFor } from '../support/api.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';

/**
 * What one user may do with tokens (review of issue 10): hold at most 10 live ones, and make no
 * more requests a minute with all of them together than one token may, so that minting tokens
 * multiplies nothing.
 */
const DAY = 24 * 60 * 60 * 1000;

async function world(env: NodeJS.ProcessEnv = {}) {
  const clock = { now: new Date('2024-06-15T02:00:00Z') };
  const { app, db } = buildApp(undefined, env, () => clock.now);
  buildJiangsuShaanxi(db);
  const liaison = await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' });
  const api = (token: string) => supertest(app).get('/api/v1/pairings').set(bearer(token));
  const count = () => db.$client.prepare('SELECT count(*) FROM access_tokens').pluck().get() as number;
  return { app, db, clock, liaison, api, count };
}

/** Sends the profile page's token form, as it is on the page now. */
async function createToken(agent: Agent, changes: Record<string, string> = {}) {
  const form = formFor((await agent.get('/account')).text, '/account/tokens')!;
  return agent
    .post('/account/tokens')
    .type('form')
    .send({ ...form.fields, name: '统计脚本', ...changes });
}

describe('how many tokens, and how many requests, one user may have', () => {
  it('when a user holds 10 live tokens, then an 11th is refused on the form with 422 and a message; a revoked or expired one leaves room', async () => {
    const w = await world();
    const agent = await loginAs(w.app, w.liaison);
    expect((await agent.get('/account')).text).to.contain('每人最多同时持有 10 个有效令牌');
    for (let i = 0; i < 9; i++) expect((await createToken(agent)).status).to.equal(200);
    expect((await createToken(agent, { days: '30' })).status).to.equal(200);
    expect(w.count()).to.equal(10);

    const refused = await createToken(agent, { name: '第十一个' });
    expect(refused.status).to.equal(422);
    expect(refused.text).to.contain('您已有 10 个有效的访问令牌，已达上限').and.not.contain('id="new-token"');
    expect(refused.text, 'the name typed is kept').to.contain('value="第十一个"');
    expect(w.count()).to.equal(10);

    // the 30-day token expires: the room it leaves is taken by a new one, then none is left again
    w.clock.now = new Date(w.clock.now.getTime() + 30 * DAY);
    expect((await createToken(agent)).status).to.equal(200);
    expect((await createToken(agent)).status).to.equal(422);
    const [id] = /\/account\/tokens\/(\d+)\/revoke/.exec((await agent.get('/account')).text)!.slice(1);
    const confirm = formFor((await agent.get(`/account/tokens/${id}/revoke`)).text, `/account/tokens/${id}/revoke`)!;
    expect((await agent.post(confirm.action).type('form').send(confirm.fields)).status).to.equal(302);
    expect((await createToken(agent)).status).to.equal(200);
    expect(w.count()).to.equal(12);
  });

  it('when one user’s two tokens together make more requests a minute than allowed, then the next gets 429 though neither token is over; another user’s token is not', async () => {
    const w = await world({ API_RATE_LIMIT: '3' });
    const first = await tokenFor(w.app, w.liaison);
    const second = await tokenFor(w.app, w.liaison);
    const other = await tokenFor(
      w.app,
      await buildUser(w.db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' }),
    );
    expect((await w.api(first.token)).status).to.equal(200);
    expect((await w.api(first.token)).status).to.equal(200);
    expect((await w.api(second.token)).status).to.equal(200);
    const limited = await w.api(second.token);
    expect(limited.status).to.equal(429);
    expect((limited.body as { error: { code: string } }).error.code).to.equal('rate_limited');
    expect(Number(limited.headers['retry-after'])).to.be.within(1, 60);
    expect((await w.api(other.token)).status).to.equal(200);
  });
});
