import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import {
  DESKTOP,
  PHONE,
  heightOf,
  launchOrSkip,
  firstLink,
  login,
  openAt,
  overflowOf,
  startDemoApp,
  widestElements,
  withChineseFont,
  type Size,
} from '../support/browser.ts';

/**
 * Every role's main pages in a real Chromium at a phone's 390 × 844 and a desktop's 1366 × 768:
 * no page scrolls sideways (`scrollWidth ≤ innerWidth`). A screenshot of each is saved to look at
 * (the folder is printed; SCREENSHOTS_DIR names another).
 */
const ROLES = ['admin', 'office.jiangsu', 'office.shaanxi', 'liaison.shaanxi', 'evaluator'] as const;
const KINDS = ['funds', 'talents', 'projects', 'labour', 'consumption'];
const ADMIN_PAGES = [
  '/admin/users',
  '/admin/users/new',
  '/admin/deadlines',
  '/imports',
  '/imports/new',
  '/admin/backups',
  '/admin/deleted',
  '/pairings/new',
  '/regions',
  '/account',
];

describe('phone and desktop widths in a real browser (playwright-core)', function () {
  this.timeout(600_000);
  let browser: Browser;
  let app: Awaited<ReturnType<typeof startDemoApp>>;
  const shots = process.env.SCREENSHOTS_DIR ?? join(tmpdir(), `ewc-screenshots-${Date.now()}`);

  before(async function () {
    browser = await launchOrSkip(this);
    app = await startDemoApp();
    mkdirSync(shots, { recursive: true });
    console.log(`      screenshots: ${shots}`);
  });
  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  for (const user of ROLES)
    it(`when ${user} opens its main pages at 390 px and at 1366 px, then none scrolls sideways`, async () => {
      const context = await openAt(browser, app.base, PHONE);
      const page = await context.newPage();
      try {
        await login(page, user);
        const overflows: string[] = [];
        const visit = async (path: string, name: string) => {
          for (const size of [PHONE, DESKTOP] as Size[]) {
            await page.setViewportSize(size);
            const res = await page.goto(path);
            expect(res?.status() ?? 0, `${user} ${path}`).to.be.below(500);
            await withChineseFont(page);
            const over = await overflowOf(page);
            if (over > 0) overflows.push(`${path} at ${size.width}px: ${over}px (${(await widestElements(page)).join(', ')})`);
            // the top of the page, two screens' worth: enough to read, small enough to open
            const height = Math.min(2 * size.height, await heightOf(page));
            await page.screenshot({
              path: join(shots, `${user}-${name}-${size.width}.png`),
              fullPage: true,
              clip: { x: 0, y: 0, width: size.width, height },
            });
          }
          await page.setViewportSize(PHONE);
        };
        await visit('/', 'home');
        await visit('/pairings', 'pairings');
        const pairing = await firstLink(page, /^\/pairings\/\d+$/);
        if (pairing) {
          await visit(pairing, 'pairing');
          const form = await firstLink(page, /^\/pairings\/\d+\/records\/\w+\/new/);
          if (form) await visit(form, 'record-form');
        }
        for (const kind of KINDS) await visit(`/records/${kind}`, `records-${kind}`);
        await page.goto('/records/funds');
        const record = await firstLink(page, /^\/records\/funds\/\d+$/);
        if (record) await visit(record, 'record');
        await visit('/charts', 'charts');
        await visit('/notifications', 'notifications');
        if (user !== 'evaluator') await visit(user === 'admin' ? '/board?region=32' : '/board', 'board');
        await visit('/assessment', 'assessment');
        await visit('/assessment/2024', 'assessment-2024');
        await visit('/assessment/2023', 'assessment-2023');
        const scorecard = await firstLink(page, /^\/assessment\/2023\/\w/);
        if (scorecard) await visit(scorecard, 'assessment-object');
        if (user === 'admin') for (const path of ADMIN_PAGES) await visit(path, path.replace(/\W+/g, '-').slice(1));
        expect(overflows, overflows.join('\n')).to.deep.equal([]);
      } finally {
        await context.close();
      }
    });

  it('when an office follows its home page to a pairing behind schedule and on to its records, at 390 px, then each step is what it said and none scrolls sideways', async () => {
    const context = await openAt(browser, app.base, PHONE);
    const page = await context.newPage();
    const steps: string[] = [];
    const check = async (name: string) => {
      await withChineseFont(page);
      const over = await overflowOf(page);
      if (over > 0) steps.push(`${name}: ${over}px (${(await widestElements(page)).join(', ')})`);
      await page.screenshot({ path: join(shots, `journey-${name}-390.png`), fullPage: true });
    };
    try {
      await login(page, 'office.jiangsu');
      await check('home');
      // the tile counting the pairings behind schedule, and the board it opens
      const tile = page.locator('a.tile', { hasText: '进度落后于年度目标' });
      const behind = Number(await tile.locator('b').innerText());
      expect(behind).to.be.greaterThan(0);
      await Promise.all([page.waitForURL(/show=behind/), tile.click()]);
      await check('board-behind');
      const rows = page.locator('table.board-table tbody tr');
      expect(await rows.count()).to.equal(Math.min(20, behind));
      expect(await page.locator('table.board-table tbody tr:not(.flagged)').count()).to.equal(0);
      // the first flagged pairing: its page names the same pair
      const link = rows.first().locator('a[href^="/pairings/"]');
      const name = (await link.innerText()).replace(/\s+/g, ' ').trim();
      await Promise.all([page.waitForURL(/\/pairings\/\d+/), link.click()]);
      await check('pairing');
      expect((await page.locator('h1').innerText()).replace(/\s+/g, ' ').trim()).to.equal(name);
      const pairingId = /\/pairings\/(\d+)/.exec(page.url())![1];
      // on to its funds: the list holds this pairing's records only
      const funds = page.locator(`main a[href^="/records/funds?"][href*="pairing=${pairingId}"]`).first();
      await Promise.all([page.waitForURL(/\/records\/funds/), funds.click()]);
      await check('records');
      expect(new URL(page.url()).searchParams.get('pairing')).to.equal(pairingId);
      expect(steps, steps.join('\n')).to.deep.equal([]);
    } finally {
      await context.close();
    }
  });

  it('when an office picks a file above the 10 MB limit for a record, then the page refuses it with the form’s message before sending it', async () => {
    const context = await openAt(browser, app.base, PHONE);
    const page = await context.newPage();
    try {
      await login(page, 'office.jiangsu');
      await page.goto(`${app.base}/records/funds`);
      const record = await firstLink(page, /^\/records\/funds\/\d+$/);
      expect(record, 'a funds record to attach to').to.be.a('string');
      await page.goto(`${app.base}${record!}`);
      const input = page.locator('#rf-file');
      const big = { name: '拨付凭证.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) };
      await input.setInputFiles(big);
      expect(await input.evaluate((el) => (el as unknown as { validationMessage: string }).validationMessage)).to.contain(
        '10 MB',
      );
      // a file within the limit is left to the server's own checks
      await input.setInputFiles({ ...big, buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
      expect(await input.evaluate((el) => (el as unknown as { validationMessage: string }).validationMessage)).to.equal('');
    } finally {
      await context.close();
    }
  });

  it('when a page is wider than the window, then the check sees it (the check can fail)', async () => {
    const context = await openAt(browser, app.base, PHONE);
    const page = await context.newPage();
    try {
      await page.setContent(
        '<!doctype html><meta name="viewport" content="width=device-width"><div style="width: 500px">宽</div>',
      );
      expect(await overflowOf(page)).to.be.at.least(110);
    } finally {
      await context.close();
    }
  });

  it('when a list is read on a phone, then each row is a card of labelled values, and each filter’s label sits above its control', async () => {
    const context = await openAt(browser, app.base, PHONE);
    const page = await context.newPage();
    try {
      await login(page, 'office.jiangsu');
      await page.goto('/records/funds?sort=date');
      // (read in the page as a string: the tests are compiled without the DOM's types)
      const card = await page.evaluate<{ row: string; label: string; head: number }>(`(() => {
        const tr = document.querySelector('table.list.cards tbody tr');
        const cell = tr.querySelector('td[data-label]');
        const head = tr.closest('table').querySelector('thead').getBoundingClientRect().height;
        return { row: getComputedStyle(tr).display, label: getComputedStyle(cell, '::before').content, head };
      })()`);
      expect(card.row).to.equal('flex');
      expect(card.label).to.equal('"日期"');
      expect(card.head).to.be.at.most(1); // the header row is left to screen readers
      const filter = await page.evaluate<{ labelBottom: number; controlTop: number; sameLeft: boolean }>(`(() => {
        const f = document.querySelector('form.search .f');
        const label = f.querySelector('label').getBoundingClientRect();
        const control = f.querySelector('input, select').getBoundingClientRect();
        return { labelBottom: label.bottom, controlTop: control.top, sameLeft: Math.abs(label.left - control.left) < 2 };
      })()`);
      expect(filter.labelBottom).to.be.at.most(filter.controlTop + 1);
      expect(filter.sameLeft).to.equal(true);
    } finally {
      await context.close();
    }
  });

  it('when the phone menu is opened with the keyboard, then its links show and lead on', async () => {
    const context = await openAt(browser, app.base, PHONE);
    const page = await context.newPage();
    try {
      await login(page, 'admin');
      expect(await page.isVisible('nav.main.wide')).to.equal(false);
      expect(await page.isVisible('details.menu a[href="/admin/deadlines"]')).to.equal(false);
      await page.focus('details.menu > summary');
      await page.keyboard.press('Enter');
      expect(await page.isVisible('details.menu a[href="/admin/deadlines"]')).to.equal(true);
      await withChineseFont(page);
      await page.screenshot({ path: join(shots, 'admin-menu-open-390.png') });
      // the header stays one line: the brand, the menu button and the languages
      const header = await page.$eval('header.site .bar', (el) => el.getBoundingClientRect().height);
      expect(header).to.be.below(60);
      await page.setViewportSize(DESKTOP);
      expect(await page.isVisible('nav.main.wide a[href="/admin/deadlines"]')).to.equal(true);
      expect(await page.isVisible('details.menu')).to.equal(false);
    } finally {
      await context.close();
    }
  });
});
