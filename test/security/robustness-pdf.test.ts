import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { Response } from 'supertest';
import { createApp } from '../../server/app.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { ServiceUnavailableError } from '../../server/lib/errors.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { npmBrowserSupported } from '../../server/lib/browser.ts';
import { chromiumLauncher, createPdfPool, resolveBrowser, type PdfLauncher, type PdfPool } from '../../server/lib/pdf.ts';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { viewsDir } from '../../server/views.ts';
import { buildDb, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { pdfText } from '../support/pdf.ts';

const stylesheetPath = resolve(viewsDir, 'assets/app.css');
const missingBrowser = () => chromiumLauncher({ executablePath: '/nonexistent/chromium', stylesheetPath });

/**
 * A stand-in browser: counts launches and pages at once; can hang or die on demand. While `held`,
 * prints wait for `release()`, so a test can order events without counting milliseconds.
 */
function fakeBrowser(printMs = 30) {
  const state = { launches: 0, active: 0, maxActive: 0, closed: 0, hang: false, held: false };
  let exit: (() => void) | undefined;
  let open: () => void = () => undefined;
  let gate = new Promise<void>((r) => (open = r));
  const release = () => {
    state.held = false;
    open();
    gate = new Promise<void>((r) => (open = r));
  };
  const launch: PdfLauncher = async () => {
    state.launches++;
    return {
      async print(html: string) {
        state.active++;
        state.maxActive = Math.max(state.maxActive, state.active);
        try {
          if (state.hang) await new Promise(() => undefined);
          if (state.held) await gate;
          await sleep(printMs);
          return Buffer.from(`%PDF-fake ${html}`);
        } finally {
          state.active--;
        }
      },
      close: async () => void state.closed++,
      onExit: (listener: () => void) => void (exit = listener),
    };
  };
  return { launch, state, release, crash: () => exit?.() };
}

async function refusal(p: Promise<unknown>): Promise<ServiceUnavailableError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ServiceUnavailableError);
    return err as ServiceUnavailableError;
  }
  throw new Error('expected a 503');
}

/** Whether a promise has settled yet (checked after the pending microtasks ran). */
function tracked<T>(p: Promise<T>) {
  const t = { settled: false, promise: p };
  p.then(
    () => (t.settled = true),
    () => (t.settled = true),
  );
  return t;
}

describe('robustness: the PDF pool (no browser needed)', () => {
  it('when 8 PDFs are asked at once, then one browser is launched and at most 2 pages print at a time', async () => {
    const fake = fakeBrowser();
    const pool = createPdfPool({ launch: fake.launch, concurrency: 2 });
    const out = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.render(`page ${i}`)));
    expect(out.map((b) => b.toString())).to.deep.equal(Array.from({ length: 8 }, (_, i) => `%PDF-fake page ${i}`));
    expect(fake.state).to.include({ launches: 1, maxActive: 2 });
    await pool.close();
    expect(fake.state.closed).to.equal(1);
  });

  it('when the queue is full, then the next request is refused at once with 503 and a Retry-After', async () => {
    const fake = fakeBrowser();
    fake.state.held = true; // nothing finishes printing until released
    const pool = createPdfPool({ launch: fake.launch, concurrency: 1, maxQueue: 2, retryAfterS: 7 });
    const accepted = ['a', 'b', 'c'].map((html) => tracked(pool.render(html)));
    const err = await refusal(pool.render('d'));
    expect(err).to.include({ status: 503, retryAfter: 7, messageKey: 'pdf.busy' });
    expect(accepted.map((a) => a.settled)).to.deep.equal([false, false, false]); // refused without waiting for them
    fake.release();
    expect(await Promise.all(accepted.map((a) => a.promise))).to.have.length(3);
    await pool.close();
  });

  it('when a request waits longer than the queue timeout, then it gets a 503', async () => {
    const fake = fakeBrowser();
    fake.state.held = true; // the first print lasts until released
    const pool = createPdfPool({ launch: fake.launch, concurrency: 1, queueTimeoutMs: 50 });
    const first = tracked(pool.render('slow'));
    const err = await refusal(pool.render('waits'));
    expect(err.status).to.equal(503);
    expect(first.settled).to.equal(false); // refused while the page it waited for was still printing
    fake.release();
    await first.promise;
    expect(pool.stats).to.include({ active: 0, queued: 0 });
    await pool.close();
  });

  it('when the browser dies, then the next PDF launches a new one', async () => {
    const fake = fakeBrowser();
    const pool = createPdfPool({ launch: fake.launch });
    await pool.render('one');
    fake.crash();
    await pool.render('two');
    expect(fake.state.launches).to.equal(2);
    await pool.close();
  });

  it('when a print hangs, then it answers 503 after the print timeout and the browser is replaced', async () => {
    const fake = fakeBrowser();
    const pool = createPdfPool({ launch: fake.launch, printTimeoutMs: 50 });
    fake.state.hang = true;
    expect((await refusal(pool.render('stuck'))).status).to.equal(503);
    expect(fake.state.closed).to.equal(1);
    fake.state.hang = false;
    expect((await pool.render('fine')).toString()).to.contain('fine');
    expect(fake.state.launches).to.equal(2);
    await pool.close();
  });

  it('when the browser has had no work for a while, then it is closed, and the next PDF relaunches it', async () => {
    const fake = fakeBrowser();
    const pool = createPdfPool({ launch: fake.launch, idleMs: 50 });
    await Promise.all([pool.render('a'), pool.render('b')]);
    await sleep(100);
    expect(fake.state.closed).to.equal(1);
    await pool.render('c');
    expect(fake.state.launches).to.equal(2);
    await pool.close();
  });

  it('when no browser is installed, then printing is refused with 503 “unavailable”', async () => {
    const pool = createPdfPool({ launch: missingBrowser() });
    const err = await refusal(pool.render('x'));
    expect(err.messageKey).to.equal('pdf.unavailable');
    await pool.close();
  });

  it('when the pool is closed (server shutdown), then waiting requests are refused and the browser is closed', async () => {
    const fake = fakeBrowser(100);
    const pool = createPdfPool({ launch: fake.launch, concurrency: 1 });
    const first = pool.render('a');
    const waiting = refusal(pool.render('b'));
    await sleep(10);
    await pool.close();
    expect((await waiting).status).to.equal(503);
    await first;
    expect(fake.state.closed).to.equal(1);
  });
});

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
const PDF_PATH = '/assessment/2023/scorecards/r.assisting.320000/pdf';

describe('robustness: the PDF route', function () {
  this.timeout(120_000);
  let apps: { pdf: PdfPool }[] = [];
  afterEach(async () => {
    await Promise.all(apps.map((a) => a.pdf.close())); // each app's browser, closed as main.ts does at shutdown
    apps = [];
  });

  /** An app (with the given PDF pool, or its own from the settings) and an evaluator signed in. */
  async function world(deps: { pdf?: PdfPool; env?: NodeJS.ProcessEnv } = {}) {
    const db = buildDb();
    const config = loadConfig({ NODE_ENV: 'test', ...deps.env });
    const app = createApp({ db, config, logger: createLogger('silent'), ...(deps.pdf ? { pdf: deps.pdf } : {}) });
    apps.push(app);
    const { county } = buildJiangsuShaanxi(db);
    buildRecord(db, 'funds', county.id);
    const evaluator = await buildUser(db, { role: 'evaluator', username: 'evaluator' });
    await buildUser(db, { role: 'admin', username: 'admin' });
    seedAssessment(db); // 2023 published: proposed by the evaluator, confirmed by the admin
    return { agent: await loginAs(app, evaluator), config };
  }

  it('when CHROMIUM_PATH is not an absolute path, then the settings are refused with a line naming it', () => {
    expect(() => loadConfig({ CHROMIUM_PATH: 'chromium' }))
      .to.throw(ConfigError)
      .with.property('message')
      .that.matches(/CHROMIUM_PATH .*absolute/);
    expect(loadConfig({}).chromiumPath).to.equal(undefined); // the npm-shipped browser
  });

  it('when CHROMIUM_PATH is unset (no system browser), then the npm-shipped browser prints a PDF holding the Chinese names', async function () {
    if (!npmBrowserSupported) this.skip(); // the package ships linux-x64 only; elsewhere CHROMIUM_PATH is needed
    const how = await resolveBrowser(loadConfig({}).chromiumPath);
    expect(how.executablePath).to.match(/node_modules\/\.cache\/ewc-chromium-[\d.]+\/chromium$/);
    expect(how.env?.FONTCONFIG_FILE).to.equal(join(dirname(how.executablePath), 'fonts.conf'));
    expect(how.args).not.to.include('--single-process'); // with it the browser exits when its last page closes
    const { agent } = await world({ env: {} }); // whatever this machine has in /usr/bin, the app is not told of it
    const res = await agent.get(PDF_PATH).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    const text = await pdfText(res.body as Buffer);
    expect(text).to.contain('江苏省').and.to.contain('财政援助资金');
  });

  it('when no browser is installed, then the PDF link answers a 503 page in Chinese, not a 500', async () => {
    const { agent } = await world({ env: { CHROMIUM_PATH: '/nonexistent/chromium' } });
    const res = await agent.get(PDF_PATH);
    expect(res.status).to.equal(503);
    expect(res.headers['retry-after']).to.match(/^\d+$/);
    expect(res.text).to.contain('PDF 打印服务不可用').and.to.contain('东西部协作工作平台');
  });

  it('when 8 PDFs are asked at once and the queue is small, then the extra ones get 503 with Retry-After', async () => {
    const fake = fakeBrowser(200);
    const { agent } = await world({ pdf: createPdfPool({ launch: fake.launch, concurrency: 1, maxQueue: 2 }) });
    const res = await Promise.all(Array.from({ length: 8 }, () => agent.get(PDF_PATH).buffer(true).parse(binary)));
    const ok = res.filter((r) => r.status === 200);
    const busy = res.filter((r) => r.status === 503);
    expect(ok.length + busy.length).to.equal(8);
    expect(ok.length).to.be.at.least(3);
    expect(busy.length).to.be.at.least(1);
    for (const r of busy) expect(r.headers['retry-after']).to.equal('10');
    expect(fake.state).to.include({ launches: 1 });
    expect(fake.state.maxActive).to.equal(1);
  });

  it('when 8 PDFs are asked at once from the real browser, then all are PDFs and one browser was launched', async function () {
    const { chromiumPath } = loadConfig({ CHROMIUM_PATH: process.env.CHROMIUM_PATH });
    if (chromiumPath ? !existsSync(chromiumPath) : !npmBrowserSupported) this.skip(); // no browser for this machine
    const real = chromiumLauncher({ executablePath: chromiumPath, stylesheetPath });
    let launches = 0;
    const { agent } = await world({ pdf: createPdfPool({ launch: () => (launches++, real()) }) });
    const res = await Promise.all(Array.from({ length: 8 }, () => agent.get(PDF_PATH).buffer(true).parse(binary)));
    for (const r of res) {
      if (r.status === 503) expect(r.headers['retry-after']).to.match(/^\d+$/);
      else {
        expect(r.status).to.equal(200);
        expect((r.body as Buffer).subarray(0, 4).toString()).to.equal('%PDF');
      }
    }
    expect(res.filter((r) => r.status === 200).length).to.equal(8); // the default queue holds 16
    expect(launches).to.equal(1);
  });
});
