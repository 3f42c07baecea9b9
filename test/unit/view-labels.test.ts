import { expect } from 'chai';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HelperOptions } from 'handlebars';
import { viewEngine, type ViewEngineOptions } from '../../server/lib/view-engine.ts';

/**
 * Fixed labels (`{{t "key"}}`) are written into a template when it is compiled, once per language:
 * the page must read exactly as when the helper prints them, escaping included.
 */
const DICT: Record<string, Record<string, string>> = {
  'zh-CN': { title: '结对 <关系> & "协作"', curly: '示例 {{x}} 与 {n} 项', plain: '保存' },
  en: { title: 'Pairings <and> "aid"', curly: 'Example {{x}} and {n} items', plain: 'Save' },
};
const label = (locale: string, key: string) => DICT[locale]?.[key] ?? key;

function views() {
  const dir = mkdtempSync(join(tmpdir(), 'ewc-labels-'));
  mkdirSync(join(dir, 'layouts'));
  mkdirSync(join(dir, 'partials'));
  writeFileSync(join(dir, 'layouts', 'main.hbs'), '<title>{{t "title"}}</title>{{{body}}}');
  writeFileSync(join(dir, 'partials', 'button.hbs'), '<button>{{t "plain"}}</button>');
  writeFileSync(
    join(dir, 'page.hbs'),
    [
      '<h1>{{t "title"}}</h1>',
      '<input placeholder="{{t "title"}}">',
      '<p>{{t "curly"}}</p>',
      '<p>{{t "missing.key"}}</p>',
      '<p>{{t "curly" n=count}}</p>',
      '{{#each rows}}<i>{{t "plain"}} {{this}}</i>{{/each}}',
      '{{> button}}',
    ].join('\n'),
  );
  return dir;
}

function engine(dir: string, withLabels: boolean) {
  const calls = { t: 0 };
  const options: ViewEngineOptions = {
    extname: '.hbs',
    layoutsDir: join(dir, 'layouts'),
    partialsDir: join(dir, 'partials'),
    defaultLayout: 'main',
    helpers: {
      t(key: string, o: HelperOptions) {
        calls.t++;
        const template = label((o.data as { root: { locale: string } }).root.locale, key);
        const params = o.hash as Record<string, unknown>;
        return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
      },
    },
    labels: withLabels ? { helper: 't', label } : undefined,
  };
  const render = viewEngine(options);
  const page = (locale: string, cache: boolean) =>
    new Promise<string>((done, fail) =>
      render(join(dir, 'page.hbs'), { locale, count: 3, rows: ['a', 'b'], cache }, (err, html) =>
        err ? fail(err as Error) : done(html!),
      ),
    );
  return Object.assign(page, { calls });
}

describe('fixed labels compiled in', () => {
  it('when a page is rendered in each language, cached or not, then it reads exactly as with the helper, escaping included', async () => {
    const dir = views();
    const fixed = engine(dir, true);
    const helper = engine(dir, false);
    for (const locale of ['zh-CN', 'en'])
      for (const cache of [true, false]) {
        const html = await fixed(locale, cache);
        expect(html).to.equal(await helper(locale, cache));
        expect(html).to.contain(
          locale === 'en' ? 'Pairings &lt;and&gt; &quot;aid&quot;' : '结对 &lt;关系&gt; &amp; &quot;协作&quot;',
        );
        expect(html).to.contain(locale === 'en' ? 'Example {{x}} and {n} items' : '示例 {{x}} 与 {n} 项'); // never read as a mustache
        expect(html).to.contain(locale === 'en' ? 'Example {{x}} and 3 items' : '示例 {{x}} 与 3 项'); // with parameters: still the helper
      }
    // the helper ran only for the label with a parameter: once a page, against nine times without
    expect(fixed.calls.t).to.equal(4);
    expect(helper.calls.t).to.equal(4 * 9);
    // cached per language: the second language does not get the first's labels
    expect(await fixed('en', true)).to.contain('<button>Save</button>');
    expect(await fixed('zh-CN', true)).to.contain('<button>保存</button>');
  });
});
