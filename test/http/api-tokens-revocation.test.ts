import { expect } from 'chai';
import supertest from 'supertest';
import type { Agent } from 'supertest';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { bearer, tokenFor } from '../support/api.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';

/**
 * A user's access tokens end with the credentials and the scope they were made under (review of
 * issue 10): an admin's password reset, a disabling or a new role or region revokes them all, as
 * does the user's own password change; each revocation is audited under its token.
 */
const DAY = 24 * 60 * 60 * 1000;

async function world() {
  const clock = { now: new Date('2024-06-15T02:00:00Z') };
  const { app, db } = buildApp(undefined, {}, () => clock.now);
  buildJiangsuShaanxi(db);
  const liaison = await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' });
  const admin = await buildUser(db, { username: 'root.admin', role: 'admin' });
  const api = (token: string) => supertest(app).get('/api/v1/pairings').set(bearer(token));
  const revocations = () =>
    (
      db.$client
        .prepare(
          "SELECT actor_id, entity_id, after FROM audit_log WHERE entity = 'access_token' AND action = 'revoke' ORDER BY id",
        )
        .all() as { actor_id: number; entity_id: string; after: string }[]
    ).map((r) => ({ actorId: r.actor_id, tokenId: Number(r.entity_id), ...(JSON.parse(r.after) as { reason?: string }) }));
  return { app, db, clock, liaison, admin, api, revocations };
}

/** Sends the form of `page` whose action is `action`, with `changes`, as the browser would. */
async function submit(agent: Agent, page: string, action: string, changes: Record<string, string> = {}) {
  const form = formFor((await agent.get(page)).text, action);
  if (!form) throw new Error(`no form for ${action} on ${page}`);
  return agent
    .post(action)
    .type('form')
    .send({ ...form.fields, ...changes });
}

describe('access tokens end with the account’s credentials and scope', () => {
  it('when an admin resets the user’s password and the user then chooses a new one, then the old tokens still answer 401', async () => {
    const w = await world();
    const first = await tokenFor(w.app, w.liaison);
    const second = await tokenFor(w.app, w.liaison);
    expect((await w.api(first.token)).status, 'the token works before (so the 401 below can fail)').to.equal(200);
    const admin = await loginAs(w.app, w.admin);
    const reset = 'reset-by-admin-2024';
    const done = await submit(admin, `/admin/users/${w.liaison.id}/password`, `/admin/users/${w.liaison.id}/password`, {
      password: reset,
      passwordConfirm: reset,
    });
    expect(done.status).to.equal(302);

    const user = await loginAs(w.app, { username: w.liaison.username, password: reset });
    const own = 'my-own-choice-2024';
    const changed = await submit(user, '/account/password', '/account/password', {
      currentPassword: reset,
      password: own,
      passwordConfirm: own,
    });
    expect(changed.status).to.equal(302);
    for (const { token } of [first, second]) {
      const res = await w.api(token);
      expect(res.status).to.equal(401);
      expect((res.body as { error: { message: string } }).error.message).to.equal('访问令牌已吊销。');
    }
    // one row per token, by the admin, saying why; the user's own change found nothing left to revoke
    expect(w.revocations()).to.deep.equal(
      [first.id, second.id].map((tokenId) => ({
        actorId: w.admin.id,
        tokenId,
        name: '统计脚本',
        revokedAt: w.clock.now.toISOString(),
        reason: 'reset-password',
      })),
    );
  });

  it('when an admin disables the user, then their tokens are revoked and enabling them again brings none back', async () => {
    const w = await world();
    const { token } = await tokenFor(w.app, w.liaison);
    const admin = await loginAs(w.app, w.admin);
    const disabled = await submit(admin, `/admin/users/${w.liaison.id}/disable`, `/admin/users/${w.liaison.id}/disable`);
    expect(disabled.status).to.equal(302);
    const enabled = await submit(admin, '/admin/users?q=liaison', `/admin/users/${w.liaison.id}/enable`);
    expect(enabled.status).to.equal(302);
    const res = await w.api(token);
    expect(res.status).to.equal(401);
    expect((res.body as { error: { message: string } }).error.message).to.equal('访问令牌已吊销。');
    expect(w.revocations().map((r) => r.reason)).to.deep.equal(['disable']);
  });

  it('when an admin changes the user’s role or region, then their tokens are revoked; a new display name alone keeps them', async () => {
    const w = await world();
    const edit = `/admin/users/${w.liaison.id}/edit`;
    const action = `/admin/users/${w.liaison.id}`;
    const admin = await loginAs(w.app, w.admin);
    const renamed = await tokenFor(w.app, w.liaison);
    expect((await submit(admin, edit, action, { displayName: '陕西省联络员' })).status).to.equal(302);
    expect((await w.api(renamed.token)).status, 'a new name changes no scope').to.equal(200);

    expect((await submit(admin, edit, action, { regionCode: '320000' })).status).to.equal(302);
    expect((await w.api(renamed.token)).status).to.equal(401);
    const promoted = await tokenFor(w.app, w.liaison);
    expect((await w.api(promoted.token)).status).to.equal(200);
    expect((await submit(admin, edit, action, { role: 'staff' })).status).to.equal(302);
    expect((await w.api(promoted.token)).status).to.equal(401);
    expect(w.revocations().map((r) => [r.tokenId, r.reason])).to.deep.equal([
      [renamed.id, 'role-or-region'],
      [promoted.id, 'role-or-region'],
    ]);
  });

  it('when the user changes their own password, then their tokens are revoked (an expired one is left as it is), and the page says so first', async () => {
    const w = await world();
    const expired = await tokenFor(w.app, w.liaison, { days: '30' });
    w.clock.now = new Date(w.clock.now.getTime() + 31 * DAY);
    const live = await tokenFor(w.app, w.liaison);
    const page = await live.agent.get('/account/password');
    expect(page.text).to.contain('您的访问令牌也将全部吊销');
    const own = 'a-fresh-secret-2024';
    const changed = await submit(live.agent, '/account/password', '/account/password', {
      currentPassword: w.liaison.password,
      password: own,
      passwordConfirm: own,
    });
    expect(changed.status).to.equal(302);
    expect((await live.agent.get('/')).text).to.contain('访问令牌已全部吊销');
    expect((await w.api(live.token)).status).to.equal(401);
    expect((await w.api(expired.token)).status).to.equal(401);
    expect(w.revocations()).to.deep.equal([
      {
        actorId: w.liaison.id,
        tokenId: live.id,
        name: '统计脚本',
        revokedAt: w.clock.now.toISOString(),
        reason: 'change-password',
      },
    ]);
    const profile = await live.agent.get('/account');
    expect(profile.text.match(/已吊销/g)).to.have.length(1);
    expect(profile.text).to.contain('已过期');
  });
});
