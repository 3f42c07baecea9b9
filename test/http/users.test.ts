import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { auditLog, users } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';

async function adminSession() {
  const { app, db } = buildApp();
  const admin = await buildUser(db, { role: 'admin', username: 'root.admin' });
  const agent = await loginAs(app, admin);
  const token = await csrfFor(agent, '/admin/users/new');
  return { app, db, admin, agent, token };
}

const validUser = {
  username: 'office.sichuan',
  displayName: '四川省协作办',
  role: 'staff',
  regionCode: '510000',
  password: 'a-long-enough-password',
  passwordConfirm: 'a-long-enough-password',
};

describe('managing users', () => {
  it('when an admin creates a staff account for 四川省, then it is listed and its creation is audited', async () => {
    const { db, agent, token, admin } = await adminSession();
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...validUser, _csrf: token });
    expect(res.status).to.equal(302);
    const list = await agent.get('/admin/users');
    expect(list.text).to.contain('office.sichuan');
    expect(list.text).to.contain('已创建用户 office.sichuan');
    const row = db.select().from(users).where(eq(users.username, 'office.sichuan')).get();
    expect(row?.regionCode).to.equal('510000');
    const audit = db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, String(row!.id)))
      .all();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorId: admin.id, action: 'create', entity: 'user' });
  });

  it('when the form is full of mistakes, then it comes back with 422, one message per field, the typed values, and nothing saved', async () => {
    const { db, agent, token } = await adminSession();
    const before = db.select().from(users).all().length;
    const res = await agent.post('/admin/users').type('form').send({
      _csrf: token,
      username: 'Bad Name!',
      displayName: '',
      role: 'king',
      regionCode: '99',
      password: 'short',
      passwordConfirm: 'other',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('请修正标出的错误');
    expect(res.text).to.contain('用户名只能包含小写字母'); // username
    expect(res.text).to.contain('此项为必填项'); // displayName
    expect(res.text).to.contain('请从列表中选择'); // role
    expect(res.text).to.contain('找不到这个行政区划'); // regionCode
    expect(res.text).to.contain('至少需要 10 个字符'); // password
    expect(res.text).to.contain('value="Bad Name!"'); // kept as typed
    expect(res.text).to.not.contain('value="short"'); // passwords never echoed
    expect(db.select().from(users).all().length).to.equal(before);
  });

  it('when the passwords differ, then only the confirmation field complains', async () => {
    const { agent, token } = await adminSession();
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...validUser, passwordConfirm: 'another-long-password', _csrf: token });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('两次输入的密码不一致');
    expect(res.text).to.contain('id="e-passwordConfirm"');
    expect(res.text).to.not.contain('id="e-password"');
  });

  it('when the username is taken or the region does not fit the role, then the service says so per field', async () => {
    const { agent, token } = await adminSession();
    const taken = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...validUser, username: 'root.admin', _csrf: token });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('该用户名已被使用');
    const noRegion = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...validUser, regionCode: '', _csrf: token });
    expect(noRegion.status).to.equal(422);
    expect(noRegion.text).to.contain('此角色必须指定所属地区');
    const unknown = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...validUser, regionCode: '999999', _csrf: token });
    expect(unknown.status).to.equal(422);
    expect(unknown.text).to.contain('找不到这个行政区划');
    const adminWithRegion = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...validUser, role: 'admin', _csrf: token });
    expect(adminWithRegion.status).to.equal(422);
    expect(adminWithRegion.text).to.contain('管理员不绑定地区');
  });

  it('when an evaluator is created without a region, then it covers the whole country', async () => {
    const { db, agent, token } = await adminSession();
    const res = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...validUser, username: 'eval.team', role: 'evaluator', regionCode: '', _csrf: token });
    expect(res.status).to.equal(302);
    expect(db.select().from(users).where(eq(users.username, 'eval.team')).get()?.regionCode).to.equal(null);
  });

  it('when an admin changes a role and region, then the change is saved and the user must log in again', async () => {
    const { app, db, agent, token } = await adminSession();
    const staff = await buildUser(db, { regionCode: '320000' });
    const staffAgent = await loginAs(app, staff);
    const res = await agent
      .post(`/admin/users/${staff.id}`)
      .type('form')
      .send({ _csrf: token, displayName: '新名字', role: 'liaison', regionCode: '610000', version: '1' });
    expect(res.status).to.equal(302);
    const row = db.select().from(users).where(eq(users.id, staff.id)).get();
    expect(row).to.include({ role: 'liaison', regionCode: '610000', displayName: '新名字', version: 2 });
    expect((await staffAgent.get('/')).status).to.equal(302);
  });

  it('when an edit form is saved over a newer version, then it is refused with 409 and nothing changes', async () => {
    const { db, agent, token } = await adminSession();
    const staff = await buildUser(db);
    await agent
      .post(`/admin/users/${staff.id}`)
      .type('form')
      .send({ _csrf: token, displayName: '第一次', role: 'staff', regionCode: '320000', version: '1' });
    const stale = await agent
      .post(`/admin/users/${staff.id}`)
      .type('form')
      .send({ _csrf: token, displayName: '第二次', role: 'staff', regionCode: '320000', version: '1' });
    expect(stale.status).to.equal(409);
    expect(stale.text).to.contain('该用户已被他人修改');
    expect(db.select().from(users).where(eq(users.id, staff.id)).get()?.displayName).to.equal('第一次');
  });

  it('when an admin tries to disable themself, then it is refused', async () => {
    const { admin, agent, token } = await adminSession();
    const res = await agent.post(`/admin/users/${admin.id}/disable`).type('form').send({ _csrf: token });
    expect(res.status).to.equal(409);
    expect(res.text).to.contain('不能停用自己的账户');
  });

  it('when a disabled user is enabled again, then they can log in', async () => {
    const { app, db, agent, token } = await adminSession();
    const staff = await buildUser(db);
    await agent.post(`/admin/users/${staff.id}/disable`).type('form').send({ _csrf: token });
    const res = await agent.post(`/admin/users/${staff.id}/enable`).type('form').send({ _csrf: token });
    expect(res.status).to.equal(302);
    await loginAs(app, staff);
  });

  it('when ids and bodies are garbage, then the answers are 404 or 422, never 500', async () => {
    const { agent, token } = await adminSession();
    for (const path of [
      '/admin/users/abc/edit',
      '/admin/users/-1/edit',
      '/admin/users/99999/edit',
      '/admin/users/1e99/password',
    ]) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(404);
    }
    const odd = [
      { username: ['a', 'b'], displayName: { x: 1 }, role: ['staff'], regionCode: ['1'], password: ['x'], passwordConfirm: 1 },
      {
        username: 'x'.repeat(5000),
        displayName: 'y'.repeat(5000),
        role: '',
        regionCode: '3200000000',
        password: '',
        passwordConfirm: '',
      },
      {},
    ];
    for (const body of odd) {
      const res = await agent
        .post('/admin/users')
        .type('form')
        .send({ ...body, _csrf: token });
      expect(res.status, JSON.stringify(body).slice(0, 80)).to.equal(422);
    }
    const badVersion = await agent
      .post('/admin/users/1')
      .type('form')
      .send({ _csrf: token, displayName: 'x', role: 'admin', regionCode: '', version: 'abc' });
    expect(badVersion.status).to.equal(422);
    const malformed = await agent.post('/admin/users').set('Content-Type', 'application/json').send('{"bad json');
    expect(malformed.status).to.be.within(400, 499);
  });

  it('when the list is filtered by role, then only that role shows', async () => {
    const { db, agent } = await adminSession();
    await buildUser(db, { role: 'liaison', username: 'liaison.one', regionCode: '520000' });
    await buildUser(db, { role: 'staff', username: 'staff.one' });
    const res = await agent.get('/admin/users?role=liaison');
    expect(res.text).to.contain('liaison.one');
    expect(res.text).to.not.contain('staff.one');
    const junk = await agent.get('/admin/users?role=king&page=-4');
    expect(junk.status).to.equal(200);
  });
});
