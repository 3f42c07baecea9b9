import { expect } from 'chai';
import type { Agent } from 'supertest';
import { desc } from 'drizzle-orm';
import { auditLog, funds, projects } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, csrfOf, loginAs } from '../support/app.ts';
import { FUND_FORM, buildJiangsuShaanxi, buildPairing, buildRecord } from '../support/factories.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { getRecord, updateRecord } from '../../server/records/records.service.ts';
import { formFor } from '../support/forms.ts';
import { asUtf8, csvText, fundRow, submitImportForm, templateOf, uploadImport } from '../support/imports.ts';

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
  expect(saved.status, [...saved.text.matchAll(/class="error"[^>]*>([^<]*)/g)].map((m) => m[1]).join(' ')).to.equal(302);
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

  it('when 江苏 imports 22 transfers into a county pair and then undoes the import, then the pair’s history shows each as one entry that opens onto the records, in both languages', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    const earlier = buildRecord(db, 'funds', js.county.id, { ref: 'R-1', committedFen: 5_000_000, purpose: '旧用途' });
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    const tpl = await templateOf(jiangsu, 'funds');
    const file = csvText([tpl.labels, tpl.keys, ...Array.from({ length: 22 }, (_, i) => tpl.row(fundRow(i + 1)))]);
    const dry = await uploadImport(jiangsu, 'funds', 'f.csv', asUtf8(file));
    expect((await submitImportForm(jiangsu, `/imports/${dry.id}`, `/imports/${dry.id}/commit`))?.status).to.equal(303);

    const history = async () => {
      const html = (await jiangsu.get(`/pairings/${js.county.id}/history`)).text;
      const table = /<table class="list history">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
      return { html, rows: [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => m[1]!) };
    };
    const { html, rows } = await history();
    // newest first: the import (21 new records, one updated) as one line, then the record made by hand, then the pairing
    expect(rows).to.have.length(3);
    expect(text(rows[0]!))
      .to.contain('测试 office.jiangsu')
      .and.to.contain('导入 22 条记录')
      .and.to.contain('查看这次导入的记录');
    const links = [...rows[0]!.matchAll(/<a href="\/records\/funds\/(\d+)">资金 [^<#]+<\/a>/g)].map((m) => Number(m[1]));
    expect(links).to.have.length(20).and.to.include(earlier.id); // the first 20, then how many more
    expect(text(rows[0]!)).to.contain('另有 2 条未列出。');
    expect(text(rows[1]!)).to.contain('新建 · 资金 旧用途');
    expectNothingRaw(html, [5_000_000]);
    // a record the import changed says so in its own history
    const own = (await jiangsu.get(`/records/funds/${earlier.id}`)).text;
    expect(changesOf(own)).to.include('用途 旧用途 → 项目 1');
    expect(historyText(own)).to.contain(`修改 （导入 #${dry.id}）`);
    // the pairing page's latest changes take the import as one line too, opening onto the history
    const recent = /<ul class="recent">([\s\S]*?)<\/ul>/.exec((await jiangsu.get(`/pairings/${js.county.id}`)).text)?.[1] ?? '';
    const items = [...recent.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!));
    expect(items).to.have.length(3);
    expect(items[0]).to.contain('测试 office.jiangsu · 导入 22 条记录').and.to.contain('变更历史');
    expect(recent).to.contain(`href="/pairings/${js.county.id}/history"`);
    expect(items[1]).to.contain('系统 · 新建 · 资金');

    expect((await submitImportForm(jiangsu, `/imports/${dry.id}/undo`, `/imports/${dry.id}/undo`))?.status).to.equal(303);
    const undone = await history();
    expect(undone.rows).to.have.length(4);
    expect(text(undone.rows[0]!)).to.contain('撤销导入 22 条记录');
    expect(text(undone.rows[1]!)).to.contain('导入 22 条记录');

    await jiangsu.get('/lang/en');
    const en = await history();
    expect(text(en.rows[0]!)).to.contain('Undid the import of 22 records');
    expect(text(en.rows[1]!)).to.contain('Imported 22 records').and.to.contain('The records of this import');
    expectNothingRaw(en.html, [5_000_000]);
  });

  it('when a pairing’s history holds more than a page, then it is paged, newest first, and the last page ends with the pairing’s creation', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    for (let i = 1; i <= 26; i++) buildRecord(db, 'consumption', js.county.id, { products: `产品 ${i}` });
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    const first = (await jiangsu.get(`/pairings/${js.county.id}/history`)).text;
    expect(first.match(/<tr>/g)).to.have.length(26); // header + 25
    expect(first)
      .to.contain('第 1 / 2 页，共 27 条')
      .and.to.match(/href="\?page&#x3D;2" rel="next"/);
    const second = (await jiangsu.get(`/pairings/${js.county.id}/history?page=2`)).text;
    const rows = historyText(second);
    expect(second.match(/<tr>/g)).to.have.length(3);
    expect(rows)
      .to.match(/新建 · 消费帮扶 [^#\s]/) // by what was bought, not by number
      .and.to.match(/新建 新建时填写的内容 层级 县级结对/);
  });

  it('when 江苏 raises an agreement’s fiscal target, then the agreement page shows its history in 万元 by the form’s label', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    const url = `/pairings/${js.county.id}/agreements/2024`;
    for (const amount of ['1,200', '1,500']) {
      const form = formFor((await jiangsu.get(url)).text, url)!;
      const saved = await jiangsu
        .post(url)
        .type('form')
        .send({ ...form.fields, fiscalFundsFen: amount, fiscalFundsFenUnit: 'wan', cadres: '3' });
      expect(saved.status).to.equal(302);
    }
    const page = (await jiangsu.get(url)).text;
    expect(changesOf(page)).to.deep.equal(['财政援助资金目标 1,200.00万元 → 1,500.00万元']);
    expect(historyText(page)).to.contain('新建').and.to.contain('修改').and.to.contain('测试 office.jiangsu');
    expectNothingRaw(page, [1_200_000_000, 1_500_000_000]);
  });

  it('when an admin moves a user to another role and region and then disables the account, then the user’s page shows the role and region by name and the account as disabled', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const admin = await loginAs(app, await buildUser(db, { username: 'admin', role: 'admin' }));
    const user = await buildUser(db, { username: 'li.si', role: 'staff', regionCode: '320000' });
    const url = `/admin/users/${user.id}`;
    const form = formFor((await admin.get(`${url}/edit`)).text, url)!;
    const saved = await admin
      .post(url)
      .type('form')
      .send({ ...form.fields, role: 'liaison', regionCode: '610000' });
    expect(saved.status).to.equal(302);
    const disable = formFor((await admin.get(`${url}/disable`)).text, `${url}/disable`)!;
    expect((await admin.post(`${url}/disable`).type('form').send(disable.fields)).status).to.equal(302);

    const page = (await admin.get(`${url}/edit`)).text;
    expect(changesOf(page)).to.have.members([
      '角色 协作办工作人员 → 结对地区联络员',
      '所属地区代码 江苏省 → 陕西省',
      '启用 是 → 否',
    ]);
    expect(historyText(page)).to.contain('停用');
    expectNothingRaw(page, []);
    await admin.get('/lang/en');
    const en = (await admin.get(`${url}/edit`)).text;
    expect(changesOf(en)).to.include('Role Collaboration office staff → Liaison of a paired region');
    expectNothingRaw(en, []);
  });

  it('when a record has been changed 26 times, then its history shows the latest 25 first and the rest on a second page', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    const record = buildRecord(db, 'consumption', js.county.id, { products: '产品 0' });
    for (let i = 1; i <= 26; i++) {
      const { record: now } = getRecord(db, SYSTEM, 'consumption', record.id);
      const input = Object.fromEntries(Object.entries(now).filter(([, v]) => v !== null));
      updateRecord(db, SYSTEM, 'consumption', record.id, { ...input, products: `产品 ${i}`, version: now.version } as never);
    }
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    const first = (await jiangsu.get(`/records/consumption/${record.id}`)).text;
    expect(changesOf(first)).to.have.length(25);
    expect(changesOf(first)[0]).to.equal('产品 产品 25 → 产品 26');
    expect(first).to.contain('第 1 / 2 页，共 27 条');
    const second = (await jiangsu.get(`/records/consumption/${record.id}?page=2`)).text;
    expect(changesOf(second)).to.deep.equal(['产品 产品 0 → 产品 1']);
    expect(historyText(second)).to.contain('新建');
  });

  it('when 姑苏区 submits its 2024 report and 江苏 returns it with a reason, then the pair’s history names the report, its states and the reason', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const gusu = await loginAs(app, await buildUser(db, { username: 'office.gusu', regionCode: '320508' }));
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }));
    const step = async (agent: Agent, action: string, body: Record<string, string> = {}) => {
      const url = `/pairings/${county.id}/reports/2024/assisting/${action}`;
      const page = await agent.get(url);
      const once = /name="_once" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
      const res = await agent
        .post(url)
        .type('form')
        .send({ _csrf: csrfOf(page.text), _once: once, ...body });
      expect(res.status).to.equal(303);
    };
    await step(gusu, 'submit');
    await step(jiangsu, 'return', { reason: '资金用途写得不清楚' });
    const page = (await gusu.get(`/pairings/${county.id}/history`)).text;
    const rows = [...(/<table class="list history">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '').matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
      .slice(1)
      .map((m) => text(m[1]!));
    expect(rows[0])
      .to.contain('退回报送 · 2024 年度报送（帮扶方）')
      .and.to.contain('状态 已报送 → 已退回')
      .and.to.match(/原因 ?：资金用途写得不清楚/);
    expect(rows[1]).to.contain('报送 · 2024 年度报送（帮扶方）');
    expectNothingRaw(page, []);
    expect(text(page)).to.not.contain('submitted').and.to.not.contain('returned');
  });
});
