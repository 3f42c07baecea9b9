import { expect } from 'chai';
import type { Browser, Page } from 'playwright-core';
import { DESKTOP, firstLink, launchOrSkip, login, openAt, startDemoApp, type DemoUser } from '../support/browser.ts';
import { axeScan as scan } from '../support/axe.ts';

/**
 * An outside accessibility scan: axe-core run in a real Chromium on the pages each demo account
 * opens (homes, lists, a record form of each kind, a record, a pairing, an assessment year and a
 * scorecard, the admin's pages). No serious or critical violation may be found. One browser and
 * one demo app for the whole file.
 */
const KINDS = ['funds', 'talents', 'projects', 'labour', 'consumption'];

describe('accessibility scan with axe-core in a real browser', function () {
  this.timeout(600_000);
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startDemoApp>>;

  before(async function () {
    browser = await launchOrSkip(this);
    app = await startDemoApp();
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  /** Opens each page a walk gives as `user` and scans it; returns the pages scanned and what was found. */
  async function walk(user: DemoUser, steps: (visit: (path: string | undefined) => Promise<void>, page: Page) => Promise<void>) {
    const context = await openAt(browser, app.base, DESKTOP);
    const page = await context.newPage();
    const found: string[] = [];
    const scanned: string[] = [];
    try {
      await login(page, user);
      await steps(async (path) => {
        expect(path, `${user}: a page to scan`).to.be.a('string');
        const res = await page.goto(path!);
        expect(res?.status() ?? 0, `${user} ${path}`).to.equal(200);
        scanned.push(path!);
        for (const line of await scan(page)) found.push(`${user} ${path}: ${line}`);
      }, page);
    } finally {
      await context.close();
    }
    return { scanned, found };
  }

  const total: string[] = [];
  after(() => console.log(`      pages scanned: ${total.length}`));

  it('when an office opens its home, lists, a pairing, a record, a form of each record kind and its assessment, then axe finds nothing serious or critical', async () => {
    const { scanned, found } = await walk('office.jiangsu', async (visit, page) => {
      await visit('/');
      await visit('/board');
      await visit('/pairings');
      const pairing = await firstLink(page, /^\/pairings\/\d+$/);
      await visit(pairing);
      for (const kind of KINDS) await visit(`${pairing}/records/${kind}/new`);
      await visit('/records/funds');
      // a transfer of 江苏's own, with a file attached through its page's form: the list of files and the removal's confirmation
      const transfer = await firstLink(page, /^\/records\/funds\/\d+$/);
      await visit(transfer);
      await page.setInputFiles('#rf-file', {
        name: '拨付凭证.pdf',
        mimeType: 'application/pdf',
        buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
      });
      await Promise.all([
        page.waitForURL((u) => u.pathname === transfer),
        page.click('form[enctype="multipart/form-data"] button[type="submit"]'),
      ]);
      await visit(transfer);
      await visit(await firstLink(page, /^\/records\/funds\/\d+\/files\/\d+\/delete$/));
      await visit('/records/projects');
      const record = await firstLink(page, /^\/records\/projects\/\d+$/);
      await visit(record);
      await visit('/assessment/2024');
      const scorecard = await firstLink(page, /^\/assessment\/2024\/\w/);
      await visit(scorecard);
      await visit('/charts');
      await visit('/notifications');
      await visit('/imports/new');
    });
    total.push(...scanned);
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('when the admin, a liaison, the other side and an evaluator open their pages, then axe finds nothing serious or critical', async () => {
    const found: string[] = [];
    const admin = await walk('admin', async (visit) => {
      for (const path of [
        '/',
        '/admin/users',
        '/admin/users/new',
        '/regions',
        '/imports',
        '/admin/deleted',
        '/admin/deadlines',
        '/assessment',
        '/account',
      ])
        await visit(path);
    });
    const liaison = await walk('liaison.shaanxi', async (visit) => {
      await visit('/');
      await visit('/records/labour');
    });
    const shaanxi = await walk('office.shaanxi', async (visit) => {
      await visit('/');
      await visit('/records/consumption');
    });
    const evaluator = await walk('evaluator', async (visit, page) => {
      await visit('/');
      await visit('/assessment/2023');
      await visit(await firstLink(page, /^\/assessment\/2023\/\w/));
    });
    for (const w of [admin, liaison, shaanxi, evaluator]) {
      total.push(...w.scanned);
      found.push(...w.found);
    }
    expect(total.length, 'pages scanned by both walks').to.be.at.least(19);
    expect(found, found.join('\n')).to.deep.equal([]);
  });

  it('when a page breaks a serious rule, then the scan reports it (the scan can fail)', async () => {
    const context = await openAt(browser, app.base, DESKTOP);
    const page = await context.newPage();
    try {
      await page.setContent(
        '<!doctype html><html lang="zh-CN"><title>t</title><main><select name="u"><option>元</option></select></main></html>',
      );
      const found = await scan(page);
      expect(found.join('\n')).to.contain('select-name');
    } finally {
      await context.close();
    }
  });
});
