import { existsSync, readFileSync, statSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, BrowserContext } from 'playwright-core';
import { DESKTOP, launchOrSkip } from '../support/browser.ts';
import { Person, keep } from '../support/journey.ts';

/**
 * The journeys' harness can fail: a page breaking an axe rule fails `settle`, a control Tab never
 * reaches fails the keyboard journey, and a failure leaves each window's screenshot and HTML.
 */
describe('the journeys’ harness', function () {
  this.timeout(120_000);
  let browser: Browser;
  let context: BrowserContext;
  let person: Person;

  before(async function () {
    browser = await launchOrSkip(this);
  });
  beforeEach(async function () {
    if (!browser) this.skip();
    context = await browser.newContext({ viewport: DESKTOP });
    person = new Person(await context.newPage(), 'tester', true, DESKTOP);
  });
  afterEach(async () => context?.close());
  after(async () => browser?.close());

  const page = (body: string) =>
    person.page.setContent(`<!doctype html><html lang="zh-CN"><title>t</title><main><h1>测试</h1>${body}</main></html>`);

  it('when a page has a select without a name, then settle fails and names the rule', async () => {
    await page('<select><option>元</option></select>');
    const failed = await person.settle().then(
      () => '',
      (err: Error) => err.message,
    );
    expect(failed).to.contain('select-name');
  });

  it('when a link has no address (Tab skips it), then the keyboard cannot reach it and the journey fails', async () => {
    await page('<a>下一步</a><button>保存</button>');
    await person.tabTo(person.page.getByRole('button', { name: '保存' }));
    const failed = await person.tabTo(person.page.locator('a')).then(
      () => '',
      (err: Error) => err.message,
    );
    expect(failed).to.contain('reached by Tab');
  });

  it('when a journey fails, then each window’s screenshot and HTML are kept', async () => {
    await page('<p>出错时的页面</p>');
    const saved = await keep('harness-test', [person]);
    expect(saved).to.have.length(2);
    const [png, html] = saved as [string, string];
    expect(existsSync(png) && statSync(png).size).to.be.greaterThan(1000);
    expect(readFileSync(html, 'utf8')).to.contain('出错时的页面');
  });
});
