import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { expect } from 'chai';
import { count, eq } from 'drizzle-orm';
import { funds, imports } from '../../db/schema/index.ts';
import { startImport } from '../../server/exchange/imports.service.ts';
import { buildApp, buildUser, csrfOf, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { asUtf8, csvText, fundRow, submitImportForm, templateOf, textOf, uploadImport, xlsxOf } from '../support/imports.ts';
import { deflatedZeros, stored, zipOf } from '../support/zip.ts';

async function world() {
  const { app, db } = buildApp();
  const pairs = buildJiangsuShaanxi(db);
  const staff = await buildUser(db, { username: 'office.jiangsu' });
  const jiangsu = await loginAs(app, staff);
  return { app, db, ...pairs, staff, jiangsu };
}

const failureOf = (html: string) => textOf(html).split('文件无法导入：')[1]?.split('修改文件后重新上传')[0]?.trim() ?? '';

describe('robustness: imported files that cannot be read', function () {
  this.timeout(120_000);

  it('when a file is empty, truncated, not what its name says, a zip bomb or of another type, then each gets a clear message and no record changes', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'funds');
    const good = await xlsxOf({ 资金支持: [tpl.labels, tpl.keys] });
    const zeros = await deflatedZeros(200);
    const bomb = zipOf([stored('[Content_Types].xml', '<Types/>'), { name: 'xl/worksheets/sheet1.xml', method: 8, ...zeros }]);
    const cases: [string, Buffer, string][] = [
      ['空.csv', Buffer.alloc(0), '文件是空的'],
      ['列名不对.csv', asUtf8('a,b,c\r\n1,2,3\r\n'), '找不到表头：前几行没有一个能识别的列名（第 1 行是：a、b、c）'],
      ['十行.csv', asUtf8(`a,b,c\r\n${'1,2,3\r\n'.repeat(9)}`), '找不到表头：前几行没有一个能识别的列名（第 1 行是：a、b、c）'],
      ['只有表头.csv', asUtf8(csvText([tpl.labels, tpl.keys])), '文件只有表头，没有数据行'],
      ['截断.xlsx', good.subarray(0, Math.floor(good.length / 2)), 'Excel 文件已损坏或不完整'],
      ['假的.xlsx', asUtf8('年度,日期\r\n2024,2024-01-01\r\n'), '内容不是 Excel 工作簿'],
      ['表格.csv', good, '内容是 Excel 工作簿'],
      ['炸弹.xlsx', bomb, '解压后'],
      ['报告.pdf', asUtf8('%PDF-1.7'), '只能导入 .xlsx 或 .csv 文件'],
      ['引号.csv', asUtf8(`${csvText([tpl.labels, tpl.keys])}"未闭合,2024\r\n`), '格式有误'],
    ];
    for (const [name, body, message] of cases) {
      const res = await uploadImport(w.jiangsu, 'funds', name, body);
      const said = res.status === 422 ? textOf(res.text) : failureOf(res.text);
      expect(said, name).to.include(message);
      expect(res.text, name).not.to.match(/at \w+ \(|Error:/);
    }
    expect(w.db.select({ n: count() }).from(funds).get()!.n).to.equal(0);
  });

  it('when a file is over 20 MB or over 100,000 rows, then it is refused as too large', async () => {
    const w = await world();
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
    const res = await uploadImport(w.jiangsu, 'funds', '大.csv', big);
    expect(res.status).to.equal(422);
    expect(textOf(res.text)).to.include('文件超过 20 MB');
    const tpl = await templateOf(w.jiangsu, 'funds');
    const many = asUtf8(csvText([tpl.labels, tpl.keys]) + ',\r\n'.repeat(100_001));
    const rows = await uploadImport(w.jiangsu, 'funds', '多.csv', many);
    expect(failureOf(rows.text)).to.include('文件超过 100000 行');
  });

  it('when a liaison or an unsigned form posts a file, then it is refused before the body is read, and another office’s import is not shown', async () => {
    const w = await world();
    const liaison = await loginAs(w.app, await buildUser(w.db, { username: 'liaison.js', role: 'liaison' }));
    expect((await liaison.get('/imports/new')).status).to.equal(403);
    const page = await w.jiangsu.get('/imports/new?kind=funds');
    const token = /_csrf&#x3D;([^"&]+)/.exec(page.text)![1]!;
    expect((await liaison.post(`/imports?kind=funds&_csrf=${token}`).attach('file', asUtf8('x'), 'a.csv')).status).to.equal(403);
    expect((await w.jiangsu.post('/imports?kind=funds').attach('file', asUtf8('x'), 'a.csv')).status).to.equal(403);
    const mine = await uploadImport(w.jiangsu, 'funds', 'a.csv', asUtf8('x'));
    const other = await loginAs(w.app, await buildUser(w.db, { username: 'office.js2' }));
    expect((await other.get(`/imports/${mine.id}`)).status).to.equal(404);
    expect((await other.get(`/imports/${mine.id}/errors/csv`)).status).to.equal(404);
  });

  it('when a file’s name and cells carry markup, then the import pages and the error copy show it as text', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'funds');
    const hostile = '<img src=x onerror=alert(1)>';
    const row = tpl.row({
      pairing: w.county.id,
      year: 2024,
      date: 'x',
      kind: hostile,
      form: 'money',
      'committedFen:wan': 1,
      purpose: `<script>alert(1)</script>`,
    });
    const up = await uploadImport(w.jiangsu, 'funds', `${hostile}.csv`, asUtf8(csvText([tpl.labels, tpl.keys, row])));
    for (const html of [up.text, (await w.jiangsu.get('/imports')).text]) {
      expect(html).not.to.include(hostile);
      expect(html).not.to.include('<script>alert');
      expect(html).to.include('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;');
    }
  });

  it('when a long file is being checked, then its progress is stored as it goes and the process keeps answering in between', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'funds');
    const row = (i: number) =>
      tpl.row({
        pairing: w.county.id,
        year: 2024,
        date: '2024-05-01',
        kind: 'fiscal',
        form: 'money',
        'committedFen:wan': i,
        purpose: `p${i}`,
        ref: `L${i}`,
      });
    const path = join(mkdtempSync(join(tmpdir(), 'ewc-import-')), 'long.csv');
    writeFileSync(path, csvText([tpl.labels, tpl.keys, ...Array.from({ length: 5_000 }, (_, i) => row(i + 1))]));
    const actor = { id: w.staff.id, role: 'staff' as const, scope: '320000' };
    const { entry, done } = startImport(w.db, actor, 'funds', { path, name: 'long.csv', bytes: 1, head: Buffer.from('年度') });
    const seen: number[] = [];
    for (let i = 0; i < 10_000 && seen.at(-1) !== 5_000; i++) {
      await tick();
      seen.push(w.db.select({ n: imports.doneRows }).from(imports).where(eq(imports.id, entry.id)).get()!.n);
    }
    await done;
    const progress = [...new Set(seen)];
    expect(progress.length, `progress seen: ${progress.join(', ')}`).to.be.greaterThan(3);
    expect(progress.at(-1)).to.equal(5_000);
  });

  it('when the admin opens an office’s import, then it may read it but not commit it (the records would be the office’s); once committed, it may undo it, and a second undo is told it was done', async () => {
    const w = await world();
    const admin = await loginAs(w.app, await buildUser(w.db, { username: 'admin.root', role: 'admin' }));
    const tpl = await templateOf(w.jiangsu, 'funds');
    const dry = await uploadImport(w.jiangsu, 'funds', 'a.csv', asUtf8(csvText([tpl.labels, tpl.keys, tpl.row(fundRow(1))])));
    const seen = await admin.get(`/imports/${dry.id}`);
    expect(seen.status).to.equal(200);
    expect(seen.text).not.to.include(`action="/imports/${dry.id}/commit"`);
    const once = /name="_once" value="([^"]+)"/.exec((await w.jiangsu.get(`/imports/${dry.id}`)).text)?.[1] ?? '';
    const forced = await admin
      .post(`/imports/${dry.id}/commit`)
      .type('form')
      .send({ _csrf: csrfOf(seen.text), _once: once });
    expect(forced.status).to.equal(403);
    expect(w.db.select({ n: count() }).from(funds).get()!.n).to.equal(0);

    expect((await submitImportForm(w.jiangsu, `/imports/${dry.id}`, `/imports/${dry.id}/commit`))?.status).to.equal(303);
    expect(w.db.select({ n: count() }).from(funds).get()!.n).to.equal(1);
    expect((await submitImportForm(admin, `/imports/${dry.id}/undo`, `/imports/${dry.id}/undo`))?.status).to.equal(303);
    expect(w.db.select({ n: count() }).from(funds).get()!.n).to.equal(0);
    // the office's undo page no longer offers it, and says why; a replayed undo is told it was done
    const undoPage = textOf((await w.jiangsu.get(`/imports/${dry.id}/undo`)).text);
    expect(undoPage).to.include('只有已提交的导入才能撤销').and.not.include('确认撤销');
    const page = await w.jiangsu.get(`/imports/${dry.id}`);
    await w.jiangsu
      .post(`/imports/${dry.id}/undo`)
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(textOf((await w.jiangsu.get(`/imports/${dry.id}`)).text)).to.include('这次导入已经撤销过了');
  });
});
