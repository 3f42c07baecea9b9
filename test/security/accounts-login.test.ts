import { expect } from 'chai';
import supertest from 'supertest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { LoginLimiter } from '../../server/auth/login-limits.ts';
import { buildApp, buildUser, csrfFor } from '../support/app.ts';

type App = ReturnType<typeof buildApp>['app'];

/** A browser at the login form; `device` is a known-device cookie it kept from an earlier login. */
async function loginForm(app: App, device?: string) {
  const agent = supertest.agent(app);
  const token = await csrfFor(agent);
  const post = (username: string, password: string, forwardedFor?: string) => {
    const req = agent.post('/login').type('form');
    if (forwardedFor) void req.set('X-Forwarded-For', forwardedFor);
    if (device) void req.set('Cookie', device);
    return req.send({ username, password, _csrf: token });
  };
  return { agent, post };
}

/** The known-device cookie a successful login leaves in the browser ("ewc.device=…"). */
async function deviceOf(app: App, user: { username: string; password: string }): Promise<string> {
  const { post } = await loginForm(app);
  const res = await post(user.username, user.password);
  expect(res.status).to.equal(302);
  const cookie = ((res.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('ewc.device='));
  expect(cookie, 'a known-device cookie').to.be.a('string');
  expect(cookie)
    .to.match(/HttpOnly/i)
    .and.match(/Path=\/login/);
  return (cookie ?? '').split(';')[0] ?? '';
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
    limiter.succeeded('office.jiangsu');
    for (let i = 0; i < 4; i++) fail();
    expect(limiter.check('1.2.3.4', 'office.jiangsu').ok, 'a success starts the count again').to.equal(true);
  });
  it('when a stranger has locked an account out, then its owner still logs in from a device that logged in before, and an unknown device still waits', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { role: 'admin', username: 'admin' });
    const device = await deviceOf(app, admin);
    for (let i = 0; i < 8; i++) await (await loginForm(app)).post('admin', `guess-${i}`);
    const stranger = await (await loginForm(app)).post(admin.username, admin.password);
    expect(stranger.status, 'an unknown device, even with the right password').to.equal(429);
    const owner = await (await loginForm(app, device)).post(admin.username, admin.password);
    expect(owner.status, 'the known device').to.equal(302);
    expect(owner.headers.location).to.equal('/');
    // the known device's own mistakes still slow it down, on its own count
    const { post } = await loginForm(app, device);
    for (let i = 0; i < 5; i++) expect((await post('admin', `typo-${i}`)).status).to.equal(401);
    expect((await post(admin.username, admin.password)).status).to.equal(429);
  });

  it('when a device cookie is forged, or was earned on another account, then it does not help', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db);
    const other = await buildUser(db);
    const otherDevice = await deviceOf(app, other);
    for (let i = 0; i < 6; i++) await (await loginForm(app)).post(user.username, `guess-${i}`);
    expect((await (await loginForm(app, otherDevice)).post(user.username, user.password)).status).to.equal(429);
    const forged = `ewc.device=${'A'.repeat(33)}`;
    expect((await (await loginForm(app, forged)).post(user.username, user.password)).status).to.equal(429);
  });

  it('when a flood of new usernames fills the limiter, then forgotten entries go first and a live back-off stays', () => {
    let now = 0;
    const limiter = new LoginLimiter({ now: () => now, maxEntries: 20, forgetAfterMs: 60_000 });
    for (let i = 0; i < 10; i++) limiter.begin(`10.0.0.${i}`, `old${i}`);
    now = 120_000; // the old entries are forgotten by now
    for (let i = 0; i < 6; i++) limiter.begin('1.2.3.4', 'admin');
    for (let i = 0; i < 500; i++) limiter.begin(`10.1.${i >> 8}.${i & 255}`, `ghost${i}`);
    const admin = limiter.check('5.6.7.8', 'admin');
    expect(admin.ok, 'the back-off of admin survives the flood').to.equal(false);
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

  it('when one machine behind the office NAT hits the ceiling, then colleagues on their usual devices still log in; a new device waits', async function () {
    this.timeout(60_000);
    const { app, db } = buildApp();
    const colleague = await buildUser(db);
    const newcomer = await buildUser(db);
    const device = await deviceOf(app, colleague);
    const infected = await loginForm(app);
    await failMany(infected.post, 300, () => '');
    const usual = await (await loginForm(app, device)).post(colleague.username, colleague.password);
    expect(usual.status, 'a colleague on the device they always use').to.equal(302);
    const unknown = await (await loginForm(app)).post(newcomer.username, newcomer.password);
    expect(unknown.status, 'a device that never logged in here').to.equal(429);
  });

  it('when logins succeed, then they do not count toward the address ceiling', async function () {
    this.timeout(60_000);
    let now = 0;
    const limiter = new LoginLimiter({ now: () => now, ipFailures: 3 });
    for (let i = 0; i < 10; i++) {
      expect(limiter.begin('1.2.3.4', `user${i}`).ok).to.equal(true);
      limiter.succeeded(`user${i}`);
    }
    for (let i = 0; i < 3; i++) {
      expect(limiter.begin('1.2.3.4', `ghost${i}`).ok).to.equal(true);
      limiter.failed('1.2.3.4');
    }
    expect(limiter.check('1.2.3.4', 'user1')).to.include({ ok: false, reason: 'address' });
    now += 15 * 60_000;
    expect(limiter.check('1.2.3.4', 'user1').ok, 'the window is over').to.equal(true);
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
