import { expect } from 'chai';
import supertest from 'supertest';
import { eq } from 'drizzle-orm';
import { sessions, users } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs, sessionCookie } from '../support/app.ts';

describe('logging in and out', () => {
  it('when anyone opens the site, then the login page is in Chinese', async () => {
    const { app } = buildApp();
    const res = await supertest(app).get('/login');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('<html lang="zh-CN">');
    expect(res.text).to.contain('用户名');
    expect(res.text).to.contain('东西部协作工作平台');
  });

  it('when the language is switched to English, then pages are in English', async () => {
    const { app } = buildApp();
    const agent = supertest.agent(app);
    const switched = await agent.get('/lang/en?back=/login');
    expect(switched.status).to.equal(302);
    expect(switched.headers.location).to.equal('/login');
    const res = await agent.get('/login');
    expect(res.text).to.contain('<html lang="en">');
    expect(res.text).to.contain('Username');
  });

  it('when an anonymous user opens a page, then they are sent to the login page', async () => {
    const { app } = buildApp();
    const res = await supertest(app).get('/regions');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/login?next=%2Fregions');
  });

  it('when the password is right, then the user is logged in with a new session id and sees the home page', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const agent = supertest.agent(app);
    const page = await agent.get('/login');
    const before = sessionCookie(page);
    expect(before, 'the login page sets a session for its CSRF token').to.be.a('string');
    const token = (/name="_csrf" value="([^"]+)"/.exec(page.text) ?? [])[1];
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf: token, next: '/regions' });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/regions');
    const after = sessionCookie(res);
    expect(after).to.be.a('string');
    expect(after).to.not.equal(before);
    const home = await agent.get('/');
    expect(home.status).to.equal(200);
    expect(home.text).to.contain(`测试 ${user.username}`);
  });

  it('when next points off-site, then login goes home instead', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const agent = supertest.agent(app);
    const token = await csrfFor(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf: token, next: '//evil.example/x' });
    expect(res.headers.location).to.equal('/');
  });

  it('when the password is wrong, then the form says so, keeps the username and logs nobody in', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const agent = supertest.agent(app);
    const token = await csrfFor(agent);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: 'wrong-password', _csrf: token });
    expect(res.status).to.equal(401);
    expect(res.text).to.contain('用户名或密码错误');
    expect(res.text).to.contain(`value="${user.username}"`);
    expect((await agent.get('/')).status).to.equal(302);
  });

  it('when passwords are stored, then they are argon2id hashes', async () => {
    const { db } = buildApp();
    const user = await buildUser(db);
    const row = db.select().from(users).where(eq(users.id, user.id)).get();
    expect(row?.passwordHash).to.match(/^\$argon2id\$/);
    expect(row?.passwordHash).to.not.contain(user.password);
  });

  it('when a form is posted without its CSRF token, then it is refused with 403', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const agent = supertest.agent(app);
    await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ username: user.username, password: user.password });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('表单已过期');
    const wrong = await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf: 'forged' });
    expect(wrong.status).to.equal(403);
  });

  it('when a logged-in user posts without a token, then the action is refused', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { role: 'admin' });
    const agent = await loginAs(app, admin);
    const res = await agent.post('/regions/320000/zone').type('form').send({ zone: 'west' });
    expect(res.status).to.equal(403);
  });

  it('when a username fails 5 times, then the 6th try is refused even with the right password', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const agent = supertest.agent(app);
    const token = await csrfFor(agent);
    for (let i = 0; i < 5; i++) {
      const res = await agent
        .post('/login')
        .type('form')
        .send({ username: user.username, password: `wrong-${i}`, _csrf: token });
      expect(res.status).to.equal(401);
    }
    const blocked = await agent
      .post('/login')
      .type('form')
      .send({ username: user.username, password: user.password, _csrf: token });
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('登录失败次数过多');
    // another username from the same place is not locked out by that
    const other = await buildUser(db);
    const ok = await agent.post('/login').type('form').send({ username: other.username, password: other.password, _csrf: token });
    expect(ok.status).to.equal(302);
  });

  it('when the user logs out, then the session no longer opens pages', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const agent = await loginAs(app, user);
    const token = await csrfFor(agent, '/');
    const res = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/login');
    expect((await agent.get('/')).status).to.equal(302);
  });

  it('when sessions are stored, then each row knows its user and expiry', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    await loginAs(app, user);
    const rows = db.select().from(sessions).where(eq(sessions.userId, user.id)).all();
    expect(rows).to.have.length(1);
    expect(rows[0]!.expiresAt).to.be.greaterThan(Date.now());
  });
});
