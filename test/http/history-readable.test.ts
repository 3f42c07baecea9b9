import { expect } from 'chai';
import type { Agent } from 'supertest';
import { desc } from 'drizzle-orm';
import { auditLog, funds, projects } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { FUND_FORM, buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';

/**
 * Issue 12 item 5: a history reads as people read the forms — the form's labels in the reader's
 * language, money in the reader's unit with that unit, regions and choices by name, who and when —
 * and never the stored JSON, a field's code or an amount in fen.
 */
const FIXED = () => new Date('2024-06-15T08:00:00Z');

/** The text of a page's history section (its table), without markup. */
function historyText(html: string): string {
  const table = /<table class="list history">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return text(table);
}

const text = (s: string) =>
  s
    .replace(/<[^>]+>/g, ' ')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();

/** Each changed field of the history as one line: "label before → after". */
function changesOf(html: string): string[] {
  const table = /<table class="list history">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return [...table.matchAll(/<li class="change">([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!));
}

/** What a history must never show: a field's code, an enum's code, stored JSON, an amount in fen. */
function expectNothingRaw(html: string, fen: number[]) {
  const history = /<table class="list history">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  expect(history, 'the page has a history').to.not.equal('');
  const shown = text(history);
  expect(shown).to.not.match(/\b(field|enum|history)\.[a-zA-Z]/, 'an i18n key');
  expect(shown).to.not.match(/\b[a-z]+(Fen|Code|On|Id)\b/, 'a field code');
  expect(history).to.not.match(/&quot;|\{"|":/, 'stored JSON');
  for (const n of fen) expect(shown).to.not.contain(String(n));
}

async function editRecord(agent: Agent, kind: string, id: number, changes: Record<string, string>) {
  const edit = formFor((await agent.get(`/records/${kind}/${id}/edit`)).text, `/records/${kind}/${id}`)!;
  const saved = await agent
    .post(`/records/${kind}/${id}`)
    .type('form')
    .send({ ...edit.fields, ...changes });
  expect(saved.status, [...saved.text.matchAll(/class="error"[^>]*>([^<]*)/g)].map((m) => m[1]).join(" ")).to.equal(302);
}

describe('history people can read', () => {
  it('when 江苏 raises a transfer’s disbursed amount from 50 to 60 万元, then its history reads “已拨付金额 50.00万元 → 60.00万元” in Chinese and in English, with no key, JSON or fen on either page', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    const token = await csrfFor(jiangsu, `/pairings/${js.county.id}/records/funds/new`);
    const created = await jiangsu
      .post(`/pairings/${js.county.id}/records/funds`)
      .type('form')
      .send({ ...FUND_FORM, disbursedFen: '50', _csrf: token });
    expect(created.status).to.equal(302);
    const id = db.select().from(funds).get()!.id;
    await editRecord(jiangsu, 'funds', id, { disbursedFen: '60', disbursedFenUnit: 'wan', kind: 'social' });

    const zh = (await jiangsu.get(`/records/funds/${id}`)).text;
    // the label is the funds form's own: 已拨付金额 (the text says 拨付金额)
    expect(changesOf(zh)).to.have.members(['已拨付金额 50.00万元 → 60.00万元', '类别 财政援助 → 社会帮扶']);
    // who (the display name) and when (China time, UTC+8, whatever the server's zone)
    const at = db.select().from(auditLog).orderBy(desc(auditLog.id)).get()!.at;
    const beijing = new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(historyText(zh)).to.contain(`${beijing} 测试 office.jiangsu 修改`);
    expectNothingRaw(zh, [50_000_000, 60_000_000]);

    await jiangsu.get('/lang/en');
    const en = (await jiangsu.get(`/records/funds/${id}`)).text;
    expect(changesOf(en)).to.have.members([
      'Disbursed 50.00 10k yuan (万元) → 60.00 10k yuan (万元)',
      'Kind Fiscal assistance → Social assistance',
    ]);
    expectNothingRaw(en, [50_000_000, 60_000_000]);

    // a reader in 元 reads the same change in 元
    await jiangsu.get('/lang/zh-CN');
    await jiangsu.get('/unit/yuan');
    expect(changesOf((await jiangsu.get(`/records/funds/${id}`)).text)).to.include('已拨付金额 500,000.00元 → 600,000.00元');
  });

  it('when a project moves to another county and its status changes, then its history names both counties and both statuses, never their codes', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    const project = buildRecord(db, 'projects', js.province.id, { locationCode: '610102', status: 'building' });
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    await editRecord(jiangsu, 'projects', project.id, { locationCode: '610103', status: 'operating' });
    expect(db.select().from(projects).get()!.locationCode).to.equal('610103');

    const page = (await jiangsu.get(`/records/projects/${project.id}`)).text;
    expect(changesOf(page)).to.have.members([
      '项目所在地代码 陕西省 西安市 新城区 → 陕西省 西安市 碑林区',
      '状态 在建 → 已投产运营',
    ]);
    expect(historyText(page)).to.not.contain('610102').and.to.not.contain('610103').and.to.not.contain('building');
    expectNothingRaw(page, [50_000_000]);
  });
});
