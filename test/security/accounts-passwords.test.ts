import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import supertest from 'supertest';
import { auditLog, sessions, users } from '../../db/schema/index.ts';
import { loadConfig } from '../../server/config.ts';
import { passwordProblem } from '../../server/lib/passwords.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';

async function adminSession() {
  const { app, db } = buildApp();
  const admin = await buildUser(db, { role: 'admin', username: 'root.admin' });
  const agent = await loginAs(app, admin);
  const token = await csrfFor(agent, '/admin/users/new');
  return { app, db, admin, agent, token };
}

const newStaff = (password: string) => ({
  username: 'office.sichuan',
  displayName: '四川省协作办',
  role: 'staff',
  regionCode: '510000',
  password,
  passwordConfirm: password,
});

describe('the password policy', () => {
  it('when a password is short, holds the username or the region, or is a common one, then each gets its own Chinese message', async () => {
    const { db, agent, token } = await adminSession();
    const cases: [string, string][] = [
      ['short-pw1', '密码至少需要 10 个字符'],
      ['my-office.sichuan-pw', '密码不能包含用户名'],
      ['510000-sichuan-office', '密码不能包含所属地区的名称或代码'],
      ['四川省协作办公室的密码', '密码不能包含所属地区的名称或代码'],
      ['1234567890', '这个密码太常见'],
      ['Password123', '这个密码太常见'],
      ['qwertyuiop', '这个密码太常见'],
    ];
    for (const [password, message] of cases) {
      const res = await agent
        .post('/admin/users')
        .type('form')
        .send({ ...newStaff(password), _csrf: token });
      expect(res.status, password).to.equal(422);
      expect(res.text, password).to.contain(message);
      expect(res.text, password).to.contain('id="e-password"');
    }
    expect(db.select().from(users).where(eq(users.username, 'office.sichuan')).get()).to.equal(undefined);
  });

  it('when the bundled list is asked, then it holds well over 10,000 common passwords', async () => {
    const { dictionary } = await import('@zxcvbn-ts/language-common');
    expect(dictionary['passwords-common'].length).to.be.greaterThan(10_000);
    // a sample from deep in the list, not only the top of it
    for (const p of ['password', 'iloveyou12', '1q2w3e4r5t', 'manchester', 'basketball']) {
      expect(passwordProblem(p.padEnd(10, '1'), { username: 'x.y' }), p).to.equal('password.common');
    }
    expect(passwordProblem('correct-horse-battery', { username: 'user1' })).to.equal(undefined);
  });

  it('when a weak password is dressed up to 10 characters (case, digits, a year, symbols, leetspeak, a keyboard walk), then it is still refused', () => {
    const weak = [
      'Password123!',
      'qwertyuiop1',
      'woaini1314520',
      'P@ssw0rd2024',
      'iloveyou2024',
      'admin123456',
      'Sunshine2020',
      'Dragon#2024',
      'Football!99',
      '1234qwerasdf',
      'zxcvbnm,./',
      'aaaaaaaaaa',
      'abcabcabcabc',
      '0987654321',
    ];
    for (const p of weak) expect(passwordProblem(p, { username: 'x.y' }), p).to.equal('password.common');
  });

  it('when a password is long and its own, then the dressing-up rules leave it alone', () => {
    const good = [
      'correct-horse-battery',
      'Lantern-quarry-2024',
      'ci-demo-password',
      'ci-admin-password',
      'temporary-reset-7',
      'a-fresh-own-secret',
      'Tea-kettle-morning-9',
      '7Gh#2mQ!9zLp',
      '四川省协作办公室的密码1',
    ];
    for (const p of good) expect(passwordProblem(p, { username: 'x.y' }), p).to.equal(undefined);
  });

  it('when a password holds the region’s short name (陕西 for 陕西省, 广西 for 广西壮族自治区), then it is refused like the full name', () => {
    const shaanxi = { username: 'office.sx', region: { name: '陕西省', code: '610000' } };
    expect(passwordProblem('陕西协作办2024ab', shaanxi)).to.equal('password.hasRegion');
    expect(passwordProblem('陕西省协作办2024ab', shaanxi)).to.equal('password.hasRegion');
    const guangxi = { username: 'office.gx', region: { name: '广西壮族自治区', code: '450000' } };
    expect(passwordProblem('广西的协作办口令99', guangxi)).to.equal('password.hasRegion');
    expect(passwordProblem('四川省协作办公室的密码1', shaanxi)).to.equal(undefined);
  });

  it('when an admin resets a password to a common one, then it is refused; a good one forces a change at next login', async () => {
    const { app, db, agent } = await adminSession();
    const staff = await buildUser(db, { username: 'office.jiangsu' });
    const token = await csrfFor(agent, `/admin/users/${staff.id}/password`);
    const weak = await agent
      .post(`/admin/users/${staff.id}/password`)
      .type('form')
      .send({ _csrf: token, password: 'password123', passwordConfirm: 'password123' });
    expect(weak.status).to.equal(422);
    expect(weak.text).to.contain('这个密码太常见');
    const audits = db.select().from(auditLog).all().length;
    const ok = await agent
      .post(`/admin/users/${staff.id}/password`)
      .type('form')
      .send({ _csrf: token, password: 'temporary-reset-7', passwordConfirm: 'temporary-reset-7' });
    expect(ok.status).to.equal(302);
    expect(db.select().from(users).where(eq(users.id, staff.id)).get()?.mustChangePassword).to.equal(true);
    expect(db.select().from(auditLog).all().length).to.equal(audits + 1);

    // the user logs in and is held on the change page
    const login = supertest.agent(app);
    const loginToken = await csrfFor(login);
    const res = await login
      .post('/login')
      .type('form')
      .send({ username: staff.username, password: 'temporary-reset-7', _csrf: loginToken });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/account/password');
    for (const path of ['/', '/pairings', '/records/funds', '/admin/users', '/assessment']) {
      const page = await login.get(path);
      expect(page.status, path).to.equal(302);
      expect(page.headers.location, path).to.equal('/account/password');
    }
    expect((await login.get('/healthz')).status).to.equal(200);
    const form = await login.get('/account/password');
    expect(form.status).to.equal(200);
    expect(form.text).to.contain('请先设置新密码');
  });

  it('when a held user changes the password, then the hold ends, the other sessions end and one audit row is written', async () => {
    const { app, db, agent } = await adminSession();
    const staff = await buildUser(db, { username: 'office.jiangsu' });
    const token = await csrfFor(agent, `/admin/users/${staff.id}/password`);
    await agent
      .post(`/admin/users/${staff.id}/password`)
      .type('form')
      .send({ _csrf: token, password: 'temporary-reset-7', passwordConfirm: 'temporary-reset-7' });
    const first = await loginAs(app, { username: staff.username, password: 'temporary-reset-7' });
    const second = await loginAs(app, { username: staff.username, password: 'temporary-reset-7' });
    const t = await csrfFor(second, '/account/password');

    const wrongCurrent = await second.post('/account/password').type('form').send({
      _csrf: t,
      currentPassword: 'not-the-password',
      password: 'a-fresh-own-secret',
      passwordConfirm: 'a-fresh-own-secret',
    });
    expect(wrongCurrent.status).to.equal(422);
    expect(wrongCurrent.text).to.contain('当前密码不正确');
    const common = await second
      .post('/account/password')
      .type('form')
      .send({ _csrf: t, currentPassword: 'temporary-reset-7', password: 'basketball', passwordConfirm: 'basketball' });
    expect(common.status).to.equal(422);
    expect(common.text).to.contain('这个密码太常见');

    const audits = db.select().from(auditLog).all().length;
    const done = await second.post('/account/password').type('form').send({
      _csrf: t,
      currentPassword: 'temporary-reset-7',
      password: 'a-fresh-own-secret',
      passwordConfirm: 'a-fresh-own-secret',
    });
    expect(done.status).to.equal(302);
    expect(db.select().from(users).where(eq(users.id, staff.id)).get()?.mustChangePassword).to.equal(false);
    const rows = db.select().from(auditLog).all();
    expect(rows.length).to.equal(audits + 1);
    expect(rows.at(-1)).to.include({ actorId: staff.id, action: 'change-password', entity: 'user' });
    expect((await second.get('/')).status, 'this session goes on').to.equal(200);
    expect((await first.get('/')).headers.location, 'the other session ended').to.match(/^\/login/);
    expect(db.select().from(sessions).where(eq(sessions.userId, staff.id)).all()).to.have.length(1);
    await loginAs(app, { username: staff.username, password: 'a-fresh-own-secret' });
  });

  it('when any user changes their own password, then the same policy applies', async () => {
    const { app, db } = buildApp();
    const staff = await buildUser(db, { username: 'office.jiangsu' });
    const agent = await loginAs(app, staff);
    const t = await csrfFor(agent, '/account/password');
    const res = await agent.post('/account/password').type('form').send({
      _csrf: t,
      currentPassword: staff.password,
      password: 'office.jiangsu-2025',
      passwordConfirm: 'office.jiangsu-2025',
    });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('密码不能包含用户名');
  });

  it('when user:create is given a common password, then it stops with the reason', function () {
    this.timeout(30_000);
    const dir = mkdtempSync(join(tmpdir(), 'ewc-pw-'));
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/create-user.ts', '--username', 'first.admin', '--role', 'admin', '--password', 'qwertyuiop'],
      { env: { ...process.env, DATABASE_PATH: join(dir, 'cli.db'), DEMO: 'false' }, encoding: 'utf8' },
    );
    rmSync(dir, { recursive: true, force: true });
    expect(result.status).to.equal(1);
    expect(result.stderr).to.contain('password: ');
    expect(result.stderr).to.match(/common/i);
  });

  it('when DEMO_PASSWORD is short or common, then the configuration is refused in one line', () => {
    expect(() => loadConfig({ DEMO_PASSWORD: 'short-pw' })).to.throw(/DEMO_PASSWORD/);
    expect(() => loadConfig({ DEMO_PASSWORD: 'password123' })).to.throw(/DEMO_PASSWORD/);
    expect(loadConfig({ DEMO_PASSWORD: 'ci-demo-password' }).demoPassword).to.equal('ci-demo-password');
  });
});
