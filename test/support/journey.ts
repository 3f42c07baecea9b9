import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import type { Browser, BrowserContext, Download, Locator, Page } from 'playwright-core';
import { axeScan } from './axe.ts';
import { DEMO_TEST_PASSWORD, DESKTOP, PHONE, launchOrSkip, openAt, startDemoApp, withChineseFont, type Size } from './browser.ts';

/**
 * Browser journeys (issue 13): a person clicks and types through the app in a real Chromium, on a
 * fresh demo app of its own, at a desktop's and a phone's width. Every page a journey reaches is
 * scanned with axe-core (no serious or critical violation). On a failure, each open page's
 * screenshot and HTML are saved under E2E_ARTIFACTS (default test-results/e2e) and named in the
 * error. With E2E_SCREENSHOTS set, `snap` saves the named views there (docs/screenshots).
 */
const ARTIFACTS = resolve(process.env.E2E_ARTIFACTS ?? 'test-results/e2e');
const SNAPS = process.env.E2E_SCREENSHOTS ? resolve(process.env.E2E_SCREENSHOTS) : undefined;
const slug = (s: string) => s.replace(/[^\w\u4e00-\u9fff-]+/g, '-').replace(/^-|-$/g, '');

export interface Journey {
  base: string;
  size: Size;
  phone: boolean;
  /** Opens a window for a demo account and signs it in through the login form. */
  as(username: string, opts?: { keyboard?: boolean }): Promise<Person>;
}

/** One signed-in person in a window of its own. Every navigation ends in `settle` (the axe scan). */
export class Person {
  readonly scanned: string[] = [];
  constructor(
    readonly page: Page,
    readonly username: string,
    private readonly keyboard: boolean,
    private readonly size: Size,
  ) {}

  /** Types an address (a bookmark, a link in a mail): GET only. */
  async open(path: string): Promise<number> {
    const res = await this.page.goto(path);
    await this.settle();
    return res?.status() ?? 0;
  }

  /** Clicks a link or button (by the mouse, or by Tab and Enter in keyboard mode) and waits for the page it leads to. */
  async go(target: Locator): Promise<void> {
    const navigated = this.page.waitForEvent('framenavigated', {
      predicate: (f) => f === this.page.mainFrame(),
      timeout: 30_000,
    });
    await this.press(target);
    await navigated;
    await this.settle();
  }

  /** The browser's Back button. */
  async back(): Promise<void> {
    await this.page.goBack();
    await this.settle();
  }

  /** Clicks a link that downloads a file; returns the file's bytes and name. */
  async download(target: Locator): Promise<{ name: string; body: Buffer }> {
    const started = this.page.waitForEvent('download', { timeout: 60_000 });
    await this.press(target);
    const file: Download = await started;
    return { name: file.suggestedFilename(), body: readFileSync(await file.path()) };
  }

  /** Types into a field found by its label (the old value replaced). */
  async fill(field: Locator, value: string): Promise<void> {
    if (!this.keyboard) return field.fill(value);
    await this.tabTo(field);
    if ((await field.getAttribute('type')) === 'date') return this.typeDate(field, value);
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.type(value);
  }

  /**
   * A date field takes its parts one at a time, in the browser's order: 年 月 日 in a Chinese one,
   * 月 日 年 in others (the npm Chromium's); a person types the year first and, seeing the parts
   * go astray, goes back to the field's first part and types them in its order.
   */
  private async typeDate(field: Locator, value: string): Promise<void> {
    const parts = value.split('-');
    for (const order of [
      [0, 1, 2],
      [1, 2, 0],
    ]) {
      for (const i of order) await this.page.keyboard.type(parts[i]!);
      if ((await field.inputValue()) === value) return;
      for (let i = 0; i < 5 && (await this.focused(field)); i++) await this.page.keyboard.press('Shift+Tab');
      await this.page.keyboard.press('Tab');
    }
    expect(await field.inputValue(), 'the date typed part by part').to.equal(value);
  }

  /** Follows a link of the main menu (on a phone, opening the 菜单 first). */
  async nav(name: string): Promise<void> {
    const bar = this.page.locator('nav.main.wide');
    if (await bar.isVisible()) return this.go(bar.getByRole('link', { name, exact: true }));
    await this.press(this.page.locator('details.menu > summary'));
    await this.scan(); // the menu open
    await this.go(this.page.locator('details.menu nav.main').getByRole('link', { name, exact: true }));
  }

  /** Chooses an option of a select by its text. */
  async choose(field: Locator, option: string): Promise<void> {
    if (!this.keyboard) {
      await field.selectOption({ label: option });
      return;
    }
    await this.tabTo(field);
    const chosen = () =>
      field.evaluate(
        (s) => (s as unknown as { selectedOptions: { textContent: string }[] }).selectedOptions[0]?.textContent.trim() ?? '',
      );
    await this.page.keyboard.press('Home');
    for (let i = 0; i < 40 && (await chosen()) !== option; i++) await this.page.keyboard.press('ArrowDown');
    expect(await chosen(), `${option} chosen by the arrow keys`).to.equal(option);
  }

  /** Opens what a 展开 (a <details> summary) hides; nothing loads. */
  async reveal(summary: Locator): Promise<void> {
    await this.press(summary);
    await this.scan();
  }

  /** Ticks or unticks a checkbox or radio. */
  async tick(box: Locator): Promise<void> {
    if (!this.keyboard) return box.check();
    await this.tabTo(box);
    if (!(await box.isChecked())) await this.page.keyboard.press('Space');
  }

  /** The page's main part as a reader sees it. */
  async text(): Promise<string> {
    return this.page.innerText('main');
  }

  /** Saves a named screenshot for the docs when E2E_SCREENSHOTS is set. */
  async snap(name: string): Promise<void> {
    if (!SNAPS) return;
    mkdirSync(SNAPS, { recursive: true });
    await withChineseFont(this.page);
    await this.page.screenshot({ path: join(SNAPS, `${name}-${this.size.width}.png`), fullPage: true });
  }

  private async press(target: Locator): Promise<void> {
    if (!this.keyboard) return target.click();
    await this.tabTo(target);
    await this.page.keyboard.press('Enter');
  }

  /** Moves the focus with Tab until it reaches `target`; fails when Tab never gets there, or it shows no focus. */
  async tabTo(target: Locator): Promise<void> {
    await target.waitFor();
    for (let i = 0; i < 400 && !(await this.focused(target)); i++) await this.page.keyboard.press('Tab');
    const what = await target.evaluate((el) => el.outerHTML.slice(0, 160));
    expect(await this.focused(target), `${what} reached by Tab`).to.equal(true);
    const shown = await this.page.evaluate(`(() => {
      const s = getComputedStyle(document.activeElement);
      return (s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none';
    })()`);
    expect(shown, `${what} shows its focus`).to.equal(true);
  }

  /** Whether the keyboard's focus is on `target`. */
  private async focused(target: Locator): Promise<boolean> {
    await target.evaluate((el) => el.setAttribute('data-journey-target', ''));
    const there = await this.page.evaluate("document.activeElement?.hasAttribute('data-journey-target') ?? false");
    await target.evaluate((el) => el.removeAttribute('data-journey-target'));
    return there === true;
  }

  /**
   * After a page loads: a page that reloads itself while work goes on (an import's check, with
   * its meta refresh) is waited for until it stands; then the axe scan, failing on any serious or
   * critical violation.
   */
  async settle(): Promise<void> {
    await this.page.waitForLoadState('load');
    for (let i = 0; i < 60 && (await this.page.locator('meta[http-equiv="refresh"]').count()) > 0; i++) {
      await this.page.waitForEvent('framenavigated', { predicate: (f) => f === this.page.mainFrame(), timeout: 30_000 });
      await this.page.waitForLoadState('load');
    }
    await this.scan();
  }

  /** The axe scan of what the window shows now (a page, or what a 展开 or the menu opened). */
  async scan(): Promise<void> {
    const where = new URL(this.page.url()).pathname;
    this.scanned.push(where);
    const found = await axeScan(this.page);
    expect(found, `${this.username} ${where}: axe\n${found.join('\n')}`).to.deep.equal([]);
  }
}

/**
 * Declares a journey: one test per width, each on a fresh demo app and one browser per file. The
 * body gets a Journey to open people's windows with; failures save what each window showed.
 */
export function journey(title: string, body: (j: Journey) => Promise<void>, sizes: Size[] = [DESKTOP, PHONE]): void {
  describe(title, function () {
    this.timeout(600_000);
    let browser: Browser | undefined;
    before(async function () {
      browser = await launchOrSkip(this);
    });
    after(async () => browser?.close());

    for (const size of sizes)
      it(`at ${size.width} × ${size.height}`, async function () {
        const app = await startDemoApp();
        const contexts: BrowserContext[] = [];
        const people: Person[] = [];
        try {
          await body({
            base: app.base,
            size,
            phone: size.width < 768,
            async as(username, opts = {}) {
              const context = await openAt(browser!, app.base, size);
              contexts.push(context);
              const person = new Person(await context.newPage(), username, opts.keyboard ?? false, size);
              people.push(person);
              await person.open('/login');
              await person.fill(person.page.getByLabel(/^用户名/), username);
              await person.fill(person.page.getByLabel(/^密码/), DEMO_TEST_PASSWORD);
              await person.go(person.page.getByRole('button', { name: '登录' }));
              return person;
            },
          });
        } catch (err) {
          const saved = await keep(`${slug(title)}-${size.width}`, people);
          if (err instanceof Error) err.message += `\n      what each window showed: ${saved.join(', ')}`;
          throw err;
        } finally {
          for (const c of contexts) await c.close().catch(() => undefined);
          await app.stop();
        }
      });
  });
}

/** Each window's screenshot and HTML at the failure, saved; returns their paths. */
export async function keep(name: string, people: Person[]): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const saved: string[] = [];
  for (const [i, p] of people.entries()) {
    const base = join(ARTIFACTS, `${name}-${i + 1}-${slug(p.username)}`);
    try {
      writeFileSync(`${base}.html`, await p.page.content());
      await withChineseFont(p.page).catch(() => undefined);
      await p.page.screenshot({ path: `${base}.png`, fullPage: true });
      saved.push(`${base}.png`, `${base}.html`);
    } catch {
      // a window that closed with its context has nothing to show
    }
  }
  return saved;
}
