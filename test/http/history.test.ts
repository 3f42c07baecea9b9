import { expect } from 'chai';
import { funds } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { formFor } from '../support/forms.ts';
import { buildJiangsuShaanxi, buildPairing, buildRecord } from '../support/factories.ts';

/**
 * A thing's history reads as a sentence per change — which field, what it was, what it became —
 * with labels, money in the reader's unit and choices and regions by name; never the stored JSON.
 */
const FIXED = () => new Date('2024-06-15T08:00:00Z');

/** The history table's rows as text: one string per row, one per changed field inside it. */
function historyOf(html: string): { row: string; changes: string[] }[] {
  const table = /<table class="list history">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const text = (s: string) =>
    s
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => ({
    row: text(m[1]!),
    changes: [...m[1]!.matchAll(/<li class="change">([\s\S]*?)<\/li>/g)].map((c) => text(c[1]!)),
  }));
}

describe('history, legible', () => {
  it('when 江苏 records a transfer and then corrects its amount and purpose, then both sides read each change as “field: before → after” in their own money unit', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    const jiangsuUser = await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' });
    const shaanxiUser = await buildUser(db, { username: 'office.shaanxi', role: 'staff', regionCode: '610000' });
    const jiangsu = await loginAs(app, jiangsuUser);
    const token = await csrfFor(jiangsu, `/pairings/${js.county.id}/records/funds/new`);
    const created = await jiangsu.post(`/pairings/${js.county.id}/records/funds`).type('form').send({
      year: '2024',
      date: '2024-03-01',
      kind: 'fiscal',
      form: 'money',
      committedFen: '1,234.5',
      committedFenUnit: 'wan',
      disbursedFen: '1,234.5',
      disbursedFenUnit: 'wan',
      disbursedOn: '2024-03-20',
      purpose: '产业发展',
      _csrf: token,
    });
    expect(created.status).to.equal(302);
    const id = db.select().from(funds).get()!.id;

    const edit = formFor((await jiangsu.get(`/records/funds/${id}/edit`)).text, `/records/funds/${id}`)!;
    const saved = await jiangsu
      .post(`/records/funds/${id}`)
      .type('form')
      .send({ ...edit.fields, committedFen: '1,300', committedFenUnit: 'wan', purpose: '教育帮扶' });
    expect(saved.status).to.equal(302);

    const page = (await jiangsu.get(`/records/funds/${id}`)).text;
    const rows = historyOf(page).reverse(); // newest first on the page
    expect(rows).to.have.length(2);
    expect(rows[0]!.row).to.contain('新建').and.to.contain('新建时填写的内容').and.to.contain('产业发展');
    expect(rows[1]!.row).to.contain('修改');
    expect(rows[1]!.changes).to.have.members(['协议/承诺金额 1,234.50万元 → 1,300.00万元', '用途 产业发展 → 教育帮扶']);
    // no stored JSON or field codes on the page
    expect(page).to.not.contain('committedFen&quot;').and.to.not.contain('"committedFen"').and.to.not.contain('&quot;purpose');

    // the pairing page lists the changes, newest first, with who made them and a link to a record
    const recent = /<ul class="recent">([\s\S]*?)<\/ul>/.exec((await jiangsu.get(`/pairings/${js.county.id}`)).text)?.[1] ?? '';
    const items = [...recent.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]!);
    expect(items).to.have.length(3);
    expect(items[0]).to.contain('office.jiangsu · 修改 · 资金').and.to.contain(`<a href="/records/funds/${id}">教育帮扶</a>`); // by its purpose now, not its number
    expect(items[1])
      .to.contain('office.jiangsu · 新建 · 资金')
      .and.to.match(/^<span class="muted">\d{4}-\d\d-\d\d \d\d:\d\d<\/span> /);
    expect(items[2]).to.equal(items[2]!.replace(/<a /, '')).and.to.contain('系统 · 新建 · 结对关系'); // the pairing itself: no record link

    // 陕西 reads the same change, in 元 when that is its unit
    const shaanxi = await loginAs(app, shaanxiUser);
    await shaanxi.get('/unit/yuan');
    const inYuan = historyOf((await shaanxi.get(`/records/funds/${id}`)).text).reverse();
    expect(inYuan[1]!.changes).to.have.members(['协议/承诺金额 12,345,000.00元 → 13,000,000.00元', '用途 产业发展 → 教育帮扶']);

    // 陕西 confirms receipt: the amount received reads as money, not as fen
    const confirm = formFor((await shaanxi.get(`/records/funds/${id}/confirm`)).text, `/records/funds/${id}/confirm`)!;
    const confirmed = await shaanxi
      .post(`/records/funds/${id}/confirm`)
      .type('form')
      .send({ ...confirm.fields, receivedFen: '12,345,000', receivedFenUnit: 'yuan' });
    expect(confirmed.status).to.equal(302);
    const afterConfirm = historyOf((await shaanxi.get(`/records/funds/${id}`)).text).reverse();
    expect(afterConfirm[2]!.row).to.contain('确认到账');
    expect(afterConfirm[2]!.changes).to.include.members([
      '到账确认 待确认 → 已确认到账',
      '实际到账金额 （空） → 12,345,000.00元',
    ]);

    // a comment (which changes no figure) still shows at once in the pairing's recent changes
    const recordPage = (await shaanxi.get(`/records/funds/${id}`)).text;
    const comment = formFor(recordPage, `/records/funds/${id}/comments`)!;
    expect(
      (
        await shaanxi
          .post(`/records/funds/${id}/comments`)
          .type('form')
          .send({ ...comment.fields, body: '已到账，谢谢' })
      ).status,
    ).to.equal(302);
    const recentNow =
      /<ul class="recent">([\s\S]*?)<\/ul>/.exec((await jiangsu.get(`/pairings/${js.county.id}`)).text)?.[1] ?? '';
    expect(recentNow.split('<li>')[1]).to.contain('office.shaanxi · 留言 · 资金');
  });

  it('when an admin suspends a pairing and names its units, then its history names the status and shows an empty value as empty, and the list shows it suspended', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const pairing = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const admin = await loginAs(app, await buildUser(db, { username: 'admin', role: 'admin' }));
    const statusInList = async () =>
      new RegExp(`href="/pairings/${pairing.id}"[\\s\\S]*?class="tag status-(\\w+)"`).exec(
        (await admin.get('/pairings')).text,
      )?.[1];
    expect(await statusInList()).to.equal('active'); // the list's page is now kept
    const edit = formFor((await admin.get(`/pairings/${pairing.id}/edit`)).text, `/pairings/${pairing.id}`)!;
    const saved = await admin
      .post(`/pairings/${pairing.id}`)
      .type('form')
      .send({ ...edit.fields, status: 'suspended', assistingUnit: '苏州市姑苏区协作办' });
    expect(saved.status).to.equal(302);
    const rows = historyOf((await admin.get(`/pairings/${pairing.id}/history`)).text);
    const update = rows.find((r) => r.row.includes('修改'))!;
    expect(update.changes).to.have.members(['状态 进行中 → 暂停', '帮扶单位 （空） → 苏州市姑苏区协作办']);
    expect(await statusInList()).to.equal('suspended');

    // a save that changed nothing says so rather than showing an empty row
    const again = formFor((await admin.get(`/pairings/${pairing.id}/edit`)).text, `/pairings/${pairing.id}`)!;
    expect((await admin.post(`/pairings/${pairing.id}`).type('form').send(again.fields)).status).to.equal(302);
    const last = historyOf((await admin.get(`/pairings/${pairing.id}/history`)).text)[0]!; // newest first
    expect(last.changes).to.deep.equal([]);
    expect(last.row).to.contain('修改').and.to.contain('保存时未改动任何内容。');
  });

  it('when an admin corrects the side of a pairing already in use, then its history shows the move by name and the reason given', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const pairing = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    buildRecord(db, 'funds', pairing.id);
    const admin = await loginAs(app, await buildUser(db, { username: 'admin', role: 'admin' }));
    const edit = formFor((await admin.get(`/pairings/${pairing.id}/edit`)).text, `/pairings/${pairing.id}`)!;
    const saved = await admin
      .post(`/pairings/${pairing.id}`)
      .type('form')
      .send({ ...edit.fields, assistedCode: '610103', reason: '录入错误，应为碑林区' });
    expect(saved.status, saved.text.slice(0, 300)).to.equal(302);
    const rows = historyOf((await admin.get(`/pairings/${pairing.id}/history`)).text);
    const update = rows.find((r) => r.row.includes('更正结对'))!;
    expect(update, JSON.stringify(rows)).to.not.equal(undefined);
    expect(update.changes).to.deep.equal(['受援方 陕西省 西安市 新城区 → 陕西省 西安市 碑林区']);
    expect(update.row).to.contain('原因：录入错误，应为碑林区');
  });
});
