import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type DEMO_ACCOUNTS } from '../../server/demo/demo.seed.ts';
import { fontFacesFor } from '../../server/lib/pdf-fonts.ts';
import { resolveBrowser } from '../../server/lib/pdf.ts';
import { freePort, startServer } from './server.ts';

/**
 * A real Chromium on the app started as `npm start` starts it (a real port, a temp database with
 * the demo data), for tests at phone and desktop widths. The browser is the one the PDFs use
 * (CHROMIUM_PATH if set, else the one shipped in npm: server/lib/browser.ts), so no apt package
 * is needed; where none can be found the suite skips and says why.
 */
export const DEMO_TEST_PASSWORD = 'demo-browser-test-2026';
export const PHONE = { width: 390, height: 844 } as const;
export const DESKTOP = { width: 1366, height: 768 } as const;
export type Size = { width: number; height: number };
export type DemoUser = (typeof DEMO_ACCOUNTS)[number]['username'];

/** Why no browser can run here, or undefined when one can. */
export async function browserMissing(): Promise<string | undefined> {
  try {
    await resolveBrowser(process.env.CHROMIUM_PATH || undefined);
    return undefined;
  } catch (err) {
    const why = `no Chromium for the browser tests (${String(err)}); set CHROMIUM_PATH or run on linux-x64`;
    // where they must run (E2E_REQUIRED=1, as .ci/run sets), a missing browser fails rather than skips
    if (process.env.E2E_REQUIRED === '1') throw new Error(why, { cause: err });
    return why;
  }
}

/** In a suite's `before`: the browser, or the suite skipped with the reason when none can run. */
export async function launchOrSkip(ctx: Mocha.Context): Promise<Browser> {
  const missing = await browserMissing();
  if (missing) {
    console.log(`      skipped: ${missing}`);
    ctx.skip();
  }
  return launch();
}

export async function launch(): Promise<Browser> {
  const how = await resolveBrowser(process.env.CHROMIUM_PATH || undefined);
  const { chromium } = await import('playwright-core');
  return chromium.launch({ ...how, handleSIGINT: false, handleSIGTERM: false });
}

/** Starts the app over a fresh database seeded with the demo accounts and data; `stop` ends it. */
export async function startDemoApp() {
  const dir = mkdtempSync(join(tmpdir(), 'ewc-browser-'));
  const port = await freePort();
  const server = await startServer({
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATABASE_PATH: join(dir, 'app.db'),
    BACKUP_DIR: join(dir, 'backups'),
    DEMO: 'true',
    DEMO_PASSWORD: DEMO_TEST_PASSWORD,
    LOG_LEVEL: 'info',
  });
  return {
    base: `http://127.0.0.1:${port}`,
    dir,
    async stop() {
      server.child.kill('SIGTERM');
      await server.exit;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A browser context at a width (a phone's touch and scale at phone widths), on the app at `base`. */
export async function openAt(browser: Browser, base: string, size: Size): Promise<BrowserContext> {
  const phone = size.width < 768;
  return browser.newContext({
    baseURL: base,
    viewport: size,
    deviceScaleFactor: phone ? 2 : 1,
    isMobile: phone,
    hasTouch: phone,
    locale: 'zh-CN',
    bypassCSP: true, // the test's font style (withChineseFont) is inline; the app's own policy is left as it is
  });
}

/** Logs a demo account in through the login form. */
export async function login(page: Page, username: DemoUser | string, password = DEMO_TEST_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('form button[type="submit"]')]);
}

/**
 * The page's Chinese in a real font: the npm browser has no CJK font (and a phone has one), so
 * the subsets of the page's characters are added as the PDF printer adds them; widths are then
 * measured on real glyphs, not on boxes.
 */
export async function withChineseFont(page: Page): Promise<void> {
  const faces = fontFacesFor(await page.content());
  await page.addStyleTag({ content: `${faces}\n:root { font-family: 'Noto Sans SC', sans-serif; }` });
  await page.evaluate('Promise.all([...document.fonts].map((f) => f.load())).then(() => document.fonts.ready, () => false)');
}

/**
 * How far the page reaches past the window's right edge, in CSS pixels (0: no sideways scroll):
 * `scrollWidth − innerWidth`, and `scrollWidth − clientWidth` too, because a phone (isMobile)
 * zooms out to a page wider than itself, and its innerWidth then grows with the page (a 500 px
 * block at 390 px reads innerWidth 509), while clientWidth stays the layout's 390.
 */
export async function overflowOf(page: Page): Promise<number> {
  return page.evaluate<number>(
    'Math.max(0, document.documentElement.scrollWidth - Math.min(window.innerWidth, document.documentElement.clientWidth))',
  );
}

/** The elements sticking out past the window's right edge, named for a failure message. */
export async function widestElements(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`[...document.querySelectorAll('body *')]
    .filter((el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > document.documentElement.clientWidth + 1; })
    .slice(0, 8)
    .map((el) => el.tagName.toLowerCase() + '.' + String(el.className).trim().replace(/\\s+/g, '.') + ' right=' + Math.round(el.getBoundingClientRect().right))`);
}

/** The document's full height, in CSS pixels. */
export async function heightOf(page: Page): Promise<number> {
  return page.evaluate<number>('document.documentElement.scrollHeight');
}

/** The first link in the page's main part whose address matches, or undefined. */
export async function firstLink(page: Page, pattern: RegExp): Promise<string | undefined> {
  const hrefs = await page.$$eval('main a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.find((h) => pattern.test(h));
}
