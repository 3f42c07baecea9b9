import { expect } from 'chai';
import type { Agent } from 'supertest';
import * as schema from '../../db/schema/index.ts';
import { DEFAULT_AREAS, DEFAULT_INDICATORS } from '../../server/assessment/assessment.defaults.ts';
import { MEASURES, recordKindKeys } from '../../server/records/records.service.ts';
import { DEMO_ACCOUNTS, DEMO_OPTIONS, seedAssessment, seedDataset, seedDemo, seedReports } from '../../server/demo/demo.seed.ts';
import { buildApp, buildDb, loginAs } from '../support/app.ts';
import { decode, keyShaped } from '../support/key-leaks.ts';

/**
 * No internal key reaches a page (issue 12 item 6): each demo account walks the pages reachable
 * by GET links from its home, in Chinese and in English, and the visible text (and the
 * attributes read aloud: title, aria-label, placeholder, alt) must hold no key-shaped string —
 * an i18n or indicator key (`org.leadership`, `validation.invalid`), a camelCase identifier
 * (`fiscalFunds`) or a snake_case one (`ratio_to_target`). Pages added later are walked too, as
 * long as a link leads to them.
 */

const PASSWORD = 'demo-pass-2024x';
/** Pages walked per account; at most `PER_SHAPE` of one shape (/records/funds/1, /records/funds/2 …). */
const MAX_PAGES = 150;
const PER_SHAPE = 2;

/** Links a walk does not follow: files, the API's JSON, language and unit switches, logging out. */
const SKIP = [
  /^\/(lang|unit)\//,
  /^\/logout/,
  /^\/api\//,
  /^\/assets\//,
  /\.(csv|xlsx|pdf|json|zip|png|svg|js|css|db|gz)(\?|$)/,
  /\/(download|export|template|pdf|file)(\/|\?|$)/,
  /\/files\/\d+/, // a file itself (the list of a scorecard's files is a page, and is walked)
  /[?&]format=(csv|xlsx|pdf|json)/,
];

const shapeOf = (path: string) => {
  const [p, q = ''] = path.split('?');
  const keys = [...new URLSearchParams(q).keys()].sort().join('&');
  // ids and codes are one shape (/records/funds/:n, r.assisting.:n); years stay (2025 and 2026 differ)
  return `${p!.replace(/\d+/g, (d) => (/^(19|20)\d\d$/.test(d) ? d : ':n'))}?${keys}`;
};

/** The GET links of a page, as paths of this site. */
function linksOf(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<a\b[^>]*\shref="([^"#]+)[^"]*"/g)) {
    const href = decode(m[1]!);
    if (!href.startsWith('/') || href.startsWith('//')) continue;
    if (SKIP.some((s) => s.test(href))) continue;
    out.push(href);
  }
  return out;
}

/** Walks from home breadth first; the paths walked, in order. */
async function walk(agent: Agent): Promise<{ path: string; html: string }[]> {
  const seen = new Set<string>(['/']);
  const shapes = new Map<string, number>();
  const queue = ['/'];
  const pages: { path: string; html: string }[] = [];
  while (queue.length > 0 && pages.length < MAX_PAGES) {
    const path = queue.shift()!;
    const res = await agent.get(path);
    if (res.status !== 200 || !String(res.headers['content-type']).includes('text/html')) continue;
    pages.push({ path, html: res.text });
    for (const link of linksOf(res.text)) {
      if (seen.has(link)) continue;
      seen.add(link);
      const shape = shapeOf(link);
      const n = shapes.get(shape) ?? 0;
      if (n >= PER_SHAPE) continue;
      shapes.set(shape, n + 1);
      queue.push(link);
    }
  }
  return pages;
}

/** Internal keys that are plain words: every enum value, area, indicator, measure and record kind. */
const KEY_WORDS = new Set(
  [
    ...Object.values(schema).flatMap((v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : [])),
    ...DEFAULT_AREAS.map((a) => a.key),
    ...DEFAULT_INDICATORS.map((i) => i.key),
    ...MEASURES.map((m) => m.key),
    ...recordKindKeys,
  ].filter((w) => /^[a-z]{3,}$/.test(w)),
);

describe('no internal key reaches a page', function () {
  this.timeout(900_000);

  it('when each demo account walks its pages in Chinese and in English, then no visible text holds a key-shaped string', async () => {
    const db = buildDb();
    seedDataset(db, DEMO_OPTIONS);
    await seedDemo(db, PASSWORD);
    seedAssessment(db, DEMO_OPTIONS.lastYear);
    seedReports(db, DEMO_OPTIONS.lastYear);
    const { app } = buildApp(db);
    const usernames = new Set(DEMO_ACCOUNTS.map((a) => a.username));
    const leaks: string[] = [];
    let walked = 0;
    for (const account of DEMO_ACCOUNTS) {
      const agent = await loginAs(app, { username: account.username, password: PASSWORD });
      const pages = await walk(agent);
      walked += pages.length;
      const report = (lang: string, path: string, html: string) => {
        const found = keyShaped(html, usernames, lang === 'zh-CN' ? KEY_WORDS : undefined);
        if (found.length > 0) leaks.push(`${account.username} ${lang} ${path}: ${found.join(' ')}`);
      };
      for (const p of pages) report('zh-CN', p.path, p.html);
      await agent.get('/lang/en');
      for (const p of pages) {
        const res = await agent.get(p.path);
        if (res.status === 200) report('en', p.path, res.text);
      }
      expect(pages.length, `${account.username} walked`).to.be.greaterThan(10);
    }
    expect(walked).to.be.greaterThan(200);
    expect(leaks, leaks.join('\n')).to.deep.equal([]);
  });

  it('when a page shows a raw key, then the scan names it (and leaves data and words alone)', () => {
    const users = new Set(['office.jiangsu']);
    const html =
      '<p title="measure.fiscalFunds">组织领导 org.leadership</p><script>const fiscalFunds = 1</script>' +
      '<td>ratio_to_target</td><td>office.jiangsu</td><td>资金.csv</td><td>1,234.5 万元</td><p>e.g. 12.5%</p>';
    expect(keyShaped(html, users).sort()).to.deep.equal(['measure.fiscalFunds', 'org.leadership', 'ratio_to_target']);
    const zh = '<li>评分 innovation 4.90</li><li>创新 <a href="/records/funds">资金</a> csv</li>';
    expect(keyShaped(zh, users, new Set(['innovation', 'funds']))).to.deep.equal(['innovation']);
  });
});
