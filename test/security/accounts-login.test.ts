import { expect } from 'chai';
import supertest from 'supertest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { LoginLimiter } from '../../server/auth/login-limits.ts';
import { buildApp, buildUser, csrfFor } from '../support/app.ts';

type App = ReturnType<typeof buildApp>['app'];

async function loginForm(app: App) {
  const agent = supertest.agent(app);
  const token = await csrfFor(agent);
  const post = (username: string, password: string, forwardedFor?: string) => {
    const req = agent.post('/login').type('form');
    if (forwardedFor) void req.set('X-Forwarded-For', forwardedFor);
    return req.send({ username, password, _csrf: token });
  };
  return { agent, post };
}

/** `n` failed logins, each with its own unknown username (so no account back-off), a few at a time. */
async function failMany(post: (u: string, p: string, xff?: string) => supertest.Test, n: number, xff: (i: number) => string) {
  for (let i = 0; i < n; i += 25) {
    const batch = Array.from({ length: Math.min(25, n - i) }, (_, j) => post(`ghost${i + j}`, 'wrong-password-x', xff(i + j)));
    for (const res of await Promise.all(batch)) expect(res.status).to.equal(401);
  }
}

describe('login limits per account', () => {
  it('when one username fails 5 times from different places, then the next try waits, in Chinese, with Retry-After', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    for (let i = 0; i < 5; i++) {
      const { post } = await loginForm(app); // a fresh browser each time
      expect((await post(user.username, `wrong-${i}`)).status).to.equal(401);
    }
    const { post } = await loginForm(app);
    const blocked = await post(user.username, user.password);
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('该账户连续登录失败次数过多');
    expect(blocked.text).to.match(/请在 \d+ 秒后再试/);
    expect(Number(blocked.headers['retry-after'])).to.be.within(1, 15);
    // the rest of the office (same address) goes on working
    const colleague = await buildUser(db);
    expect((await post(colleague.username, colleague.password)).status).to.equal(302);
  });

  it('when tries are sent all at once, then they are counted before the passwords are checked', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const { post } = await loginForm(app);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(user.username, `wrong-${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).to.have.length(5);
    expect(statuses.filter((s) => s === 429)).to.have.length(7);
  });

  it('when failures go on, then the wait doubles up to 15 minutes, and a success clears it', () => {
    let now = 0;
    const limiter = new LoginLimiter({ now: () => now });
    const fail = () => {
      expect(limiter.begin('1.2.3.4', 'office.jiangsu').ok).to.equal(true);
    };
    for (let i = 0; i < 5; i++) fail();
    const waits: number[] = [];
    for (let i = 0; i < 8; i++) {
      const refused = limiter.check('5.6.7.8', 'office.jiangsu');
      expect(refused.ok).to.equal(false);
      const wait = refused.ok ? 0 : refused.retryAfterSeconds;
      waits.push(wait);
      now += wait * 1000;
      fail();
    }
    expect(waits).to.deep.equal([15, 30, 60, 120, 240, 480, 900, 900]);
    now += 900_000;
    expect(limiter.begin('1.2.3.4', 'office.jiangsu').ok).to.equal(true);
    limiter.succeeded('1.2.3.4', 'office.jiangsu');
    for (let i = 0; i < 4; i++) fail();
    expect(limiter.check('1.2.3.4', 'office.jiangsu').ok, 'a success starts the count again').to.equal(true);
  });
});

describe('login limits per address', () => {
  it('when one address fails 300 times across usernames, then it is refused, and rotating X-Forwarded-For does not help without TRUST_PROXY', async function () {
    this.timeout(60_000);
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const { post } = await loginForm(app);
    await failMany(post, 300, (i) => `198.51.100.${i % 250}`);
    const blocked = await post(user.username, user.password, '203.0.113.99');
    expect(blocked.status).to.equal(429);
    expect(blocked.text).to.contain('来自此网络地址的登录失败次数过多');
    expect(blocked.text).to.match(/请在 \d+ 分钟后再试/);
    expect(Number(blocked.headers['retry-after'])).to.be.within(60, 900);
  });

  it('when TRUST_PROXY=1, then the address is the last hop: the client part of the header cannot reset the count', async function () {
    this.timeout(60_000);
    const { app, db } = buildApp(undefined, { TRUST_PROXY: '1' });
    const user = await buildUser(db);
    const { post } = await loginForm(app);
    await failMany(post, 300, (i) => `10.0.${i % 200}.1, 203.0.113.7`);
    const sameLastHop = await post(user.username, user.password, '192.0.2.1, 203.0.113.7');
    expect(sameLastHop.status).to.equal(429);
    const otherClient = await post(user.username, user.password, '203.0.113.8');
    expect(otherClient.status, 'another client behind the same proxy').to.equal(302);
  });

  it('when TRUST_PROXY=true, then the server refuses to start with one line asking for the number of hops', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'true' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/^Invalid configuration: TRUST_PROXY .*number of proxy hops.*TRUST_PROXY=1/)
      .and.not.contain('\n');
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).to.equal(2);
    expect(loadConfig({}).trustProxy).to.equal(0);
  });
});
