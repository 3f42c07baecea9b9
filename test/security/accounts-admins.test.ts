import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';

async function soleAdmin() {
  const { app, db } = buildApp();
  const admin = await buildUser(db, { role: 'admin', username: 'only.admin' });
  const agent = await loginAs(app, admin);
  const token = await csrfFor(agent, '/admin/users/new');
  return { app, db, admin, agent, token };
}

const auditRows = (db: ReturnType<typeof buildApp>['db']) => db.select().from(auditLog).all().length;
const activeAdmins = (db: ReturnType<typeof buildApp>['db']) =>
  db
    .select()
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .all().length;

describe('the last admin', () => {
  it('when the only admin demotes itself, then the form answers 422 on the role field, keeps what was typed, and nothing changes', async () => {
    const { db, admin, agent, token } = await soleAdmin();
    const audits = auditRows(db);
    const res = await agent
      .post(`/admin/users/${admin.id}`)
      .type('form')
      .send({ _csrf: token, displayName: '新的显示名', role: 'evaluator', regionCode: '', version: '1' });
    expect(res.status).to.equal(422);
    expect(res.text).to.match(/id="e-role"[^>]*>这是最后一名启用的系统管理员，不能改为其他角色。/);
    expect(res.text).to.contain('value="新的显示名"');
    expect(db.select().from(users).where(eq(users.id, admin.id)).get()?.role).to.equal('admin');
    expect(auditRows(db)).to.equal(audits);
  });

  it('when the other admin is disabled, then the remaining one still cannot demote itself', async () => {
    const { db, admin, agent, token } = await soleAdmin();
    const other = await buildUser(db, { role: 'admin', username: 'other.admin' });
    const disabled = await agent.post(`/admin/users/${other.id}/disable`).type('form').send({ _csrf: token });
    expect(disabled.status).to.equal(302);
    const res = await agent
      .post(`/admin/users/${admin.id}`)
      .type('form')
      .send({ _csrf: token, displayName: '管理员', role: 'staff', regionCode: '320000', version: '1' });
    expect(res.status).to.equal(422);
    expect(activeAdmins(db)).to.equal(1);
  });

  it('when the only admin disables itself, then it is refused in Chinese', async () => {
    const { db, admin, agent, token } = await soleAdmin();
    const res = await agent.post(`/admin/users/${admin.id}/disable`).type('form').send({ _csrf: token });
    expect(res.status).to.equal(409);
    expect(res.text).to.match(/不能停用自己的账户|至少保留一名启用的系统管理员/);
    expect(activeAdmins(db)).to.equal(1);
  });

  it('when two admins demote each other at once, then one admin is left active', async () => {
    const { app, db, admin, agent, token } = await soleAdmin();
    const other = await buildUser(db, { role: 'admin', username: 'other.admin' });
    const otherAgent = await loginAs(app, other);
    const otherToken = await csrfFor(otherAgent, '/admin/users/new');
    const body = { displayName: '降级', role: 'evaluator', regionCode: '', version: '1' };
    const [a, b] = await Promise.all([
      agent
        .post(`/admin/users/${other.id}`)
        .type('form')
        .send({ ...body, _csrf: token }),
      otherAgent
        .post(`/admin/users/${admin.id}`)
        .type('form')
        .send({ ...body, _csrf: otherToken }),
    ]);
    expect([a.status, b.status]).to.include(302);
    expect(activeAdmins(db)).to.equal(1);
  });

  it('when another admin exists, then an admin may hand over and step down', async () => {
    const { db, admin, agent, token } = await soleAdmin();
    await buildUser(db, { role: 'admin', username: 'next.admin' });
    const res = await agent
      .post(`/admin/users/${admin.id}`)
      .type('form')
      .send({ _csrf: token, displayName: '前管理员', role: 'evaluator', regionCode: '', version: '1' });
    expect(res.status).to.equal(302);
    expect(activeAdmins(db)).to.equal(1);
  });

  it('when the only admin opens its own edit form, then the role is shown fixed, with the reason', async () => {
    const { db, admin, agent } = await soleAdmin();
    const form = await agent.get(`/admin/users/${admin.id}/edit`);
    expect(form.text).to.match(/<select id="f-role"[^>]* disabled/);
    expect(form.text).to.contain('<input type="hidden" name="role" value="admin">');
    expect(form.text).to.contain('这是最后一名启用的系统管理员，不能改为其他角色。');
    const other = await buildUser(db, { role: 'admin', username: 'other.admin' });
    const otherForm = await agent.get(`/admin/users/${other.id}/edit`);
    expect(otherForm.text).to.not.match(/<select id="f-role"[^>]* disabled/);
  });

  it('when the list shows the only admin, then it offers no way to disable it', async () => {
    const { agent } = await soleAdmin();
    const list = await agent.get('/admin/users');
    expect(list.text).to.not.match(/\/admin\/users\/\d+\/disable/);
  });
});

describe('creating the same username at once', () => {
  it('when 8 creates of one username race, then exactly one succeeds, seven get 422 and one row exists', async function () {
    this.timeout(30_000);
    const { db, agent, token } = await soleAdmin();
    const audits = auditRows(db);
    const body = {
      _csrf: token,
      username: 'office.race',
      displayName: '并发测试',
      role: 'staff',
      regionCode: '510000',
      password: 'a-long-enough-password',
      passwordConfirm: 'a-long-enough-password',
    };
    const answers = await Promise.all(Array.from({ length: 8 }, () => agent.post('/admin/users').type('form').send(body)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).to.deep.equal([302, 422, 422, 422, 422, 422, 422, 422]);
    for (const r of answers.filter((x) => x.status === 422)) {
      expect(r.text).to.contain('该用户名已被使用');
      expect(r.text).to.contain('id="e-username"');
    }
    expect(db.select().from(users).where(eq(users.username, 'office.race')).all()).to.have.length(1);
    expect(auditRows(db)).to.equal(audits + 1);
  });
});
