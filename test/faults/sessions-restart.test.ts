import { join } from 'node:path';
import { expect } from 'chai';
import { Client, killAll, prepareDb, startApp, tempDir, type Running } from './fault-server.ts';

/**
 * Sessions live in the database, not in the process: a restart — a clean one (SIGTERM) or a crash
 * (SIGKILL) — keeps everyone signed in, and keeps out whoever signed out.
 */

/** Whether the cookie reaches the user's own page (signed in) or is sent to the login page. */
async function signedIn(c: Client): Promise<boolean> {
  const res = await c.get('/account');
  if (res.status === 200) {
    expect(res.text).to.include('测试 office.jiangsu');
    return true;
  }
  expect(res.status).to.equal(302);
  expect(res.location).to.match(/^\/login/);
  return false;
}

describe('faults: sessions across a restart of the server', function () {
  this.timeout(120_000);
  const { dir, cleanup } = tempDir('sessions');
  const path = join(dir, 'app.db');
  let app: Running | undefined;
  before(() => prepareDb(path));
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });
  after(async () => {
    await killAll();
    cleanup();
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`when the server is stopped with ${signal} and started again, then a signed-in cookie is still signed in and a signed-out one stays out`, async () => {
      app = await startApp(path, dir);
      const staying = await new Client(app.base).login('office.jiangsu');
      const leaving = await new Client(app.base).login('office.jiangsu');
      const oldCookie = leaving.cookie;
      const account = await leaving.get('/account');
      expect((await leaving.postForm('/logout', account.text, {})).status).to.equal(302);
      // the last request before the stop: a session made just now survives a crash too
      const late = await new Client(app.base).login('office.jiangsu');
      expect(await signedIn(staying)).to.equal(true);

      if (signal === 'SIGKILL') await app.kill();
      else await app.stop();
      app = await startApp(path, dir);

      for (const c of [staying, late]) {
        c.base = app.base;
        expect(await signedIn(c)).to.equal(true);
      }
      const replayed = new Client(app.base);
      replayed.cookie = oldCookie;
      expect(await signedIn(replayed)).to.equal(false);
      // and signing out after the restart holds too
      const held = staying.cookie;
      const page = await staying.get('/account');
      expect((await staying.postForm('/logout', page.text, {})).status).to.equal(302);
      const again = new Client(app.base);
      again.cookie = held;
      expect(await signedIn(again)).to.equal(false);
      expect(await signedIn(late)).to.equal(true);
    });
  }
});
