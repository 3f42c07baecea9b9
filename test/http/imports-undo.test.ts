import { expect } from 'chai';
import { and, count, eq, isNull } from 'drizzle-orm';
import { funds, projects } from '../../db/schema/index.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { getRecord, updateRecord } from '../../server/records/records.service.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildPairing, buildRecord } from '../support/factories.ts';
import {
  asUtf8,
  csvText,
  download,
  fundRow,
  sheetRows,
  submitImportForm,
  templateOf,
  textOf,
  uploadImport,
  xlsxOf,
} from '../support/imports.ts';

async function world() {
  const { app, db } = buildApp();
  const pairs = buildJiangsuShaanxi(db);
  const other = buildGuangdongGuizhou(db);
  const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
  return { app, db, ...pairs, other, jiangsu };
}

type World = Awaited<ReturnType<typeof world>>;
const snapshot = (w: World) =>
  w.db
    .select()
    .from(funds)
    .where(isNull(funds.deletedAt))
    .orderBy(funds.id)
    .all()
    // what an undo restores: the values, not the bookkeeping of when and by whom
    .map((row) => ({ ...row, updatedAt: undefined, version: undefined, updatedBy: undefined }));

async function importFile(w: World, rows: Record<string, string | number>[], name = 'f.csv') {
  const tpl = await templateOf(w.jiangsu, 'funds');
  return uploadImport(w.jiangsu, 'funds', name, asUtf8(csvText([tpl.labels, tpl.keys, ...rows.map(tpl.row)])));
}

describe('imports: all or nothing, again and back', function () {
  this.timeout(120_000);

  it('when the last of 10,000 rows is wrong, then the dry run says so, nothing can be committed and the database is as it was', async () => {
    const w = await world();
    const before = w.db.select({ n: count() }).from(funds).get()!.n;
    const rows = Array.from({ length: 10_000 }, (_, i) => fundRow(i + 1));
    rows[9_999] = fundRow(10_000, { kind: '无偿援助' });
    const dry = await importFile(w, rows);
    const text = textOf(dry.text);
    expect(text).to.include('将新增 9,999 条').and.include('1 行有错误');
    expect(text).to.match(/10002 H 列（类别）/);
    const refused = await w.jiangsu
      .post(`/imports/${dry.id}/commit`)
      .type('form')
      .send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(dry.text)![1] });
    expect(refused.status).to.equal(303);
    expect(textOf((await w.jiangsu.get(`/imports/${dry.id}`)).text)).to.include('还有 1 行有错误');
    expect(w.db.select({ n: count() }).from(funds).get()!.n).to.equal(before);
  });

  it('when the data changes between the dry run and the commit, then the commit applies nothing and asks for a new check; a change elsewhere does not stop it', async () => {
    const w = await world();
    const dry = await importFile(w, [fundRow(1), fundRow(2), fundRow(3)]);
    expect(textOf(dry.text)).to.include('将新增 3 条');
    buildRecord(w.db, 'funds', w.county.id, { ref: 'R-3' }); // meanwhile someone enters row 3's ledger number
    await submitImportForm(w.jiangsu, `/imports/${dry.id}`, `/imports/${dry.id}/commit`);
    expect(textOf((await w.jiangsu.get(`/imports/${dry.id}`)).text)).to.include('检查之后平台上的数据有了变化');
    expect(snapshot(w).map((f) => f.ref)).to.deep.equal(['R-3']);

    // a record edited after the check (its version moved on): the update no longer holds
    const edit = await importFile(w, [fundRow(1), fundRow(3)]);
    expect(textOf(edit.text)).to.include('将更新 1 条');
    w.db.update(funds).set({ notes: '刚改过', version: 2 }).where(eq(funds.ref, 'R-3')).run();
    await submitImportForm(w.jiangsu, `/imports/${edit.id}`, `/imports/${edit.id}/commit`);
    expect(textOf((await w.jiangsu.get(`/imports/${edit.id}`)).text)).to.include('检查之后平台上的数据有了变化（第 4 行）');
    expect(snapshot(w).map((f) => f.ref)).to.deep.equal(['R-3']);

    // a pairing added elsewhere (the structure changed): every row is planned again, and still holds
    const later = await importFile(w, [fundRow(4), fundRow(5)]);
    buildPairing(w.db, { level: 'county', assistingCode: '320509', assistedCode: '610103' });
    buildRecord(w.db, 'funds', w.other.county.id, { ref: 'R-4' }); // the same number in another pairing is no conflict
    const committed = await submitImportForm(w.jiangsu, `/imports/${later.id}`, `/imports/${later.id}/commit`);
    expect(committed?.status).to.equal(303);
    expect(textOf((await w.jiangsu.get(`/imports/${later.id}`)).text)).to.include('导入已提交');
    expect(
      snapshot(w)
        .filter((f) => f.pairingId === w.county.id)
        .map((f) => f.ref),
    ).to.deep.equal(['R-3', 'R-4', 'R-5']);
  });

  it('when the same file is imported twice, then the second creates nothing; undoing the first restores the earlier state, unless a record was edited since', async () => {
    const w = await world();
    const existing = buildRecord(w.db, 'funds', w.county.id, { ref: 'R-1', committedFen: 5_000_000, purpose: '旧用途' });
    const before = snapshot(w);
    const file = [fundRow(1), fundRow(2), fundRow(3)];
    const first = await importFile(w, file);
    expect(textOf(first.text)).to.include('将新增 2 条').and.include('将更新 1 条').and.include('用途：旧用途 → 项目 1');
    await submitImportForm(w.jiangsu, `/imports/${first.id}`, `/imports/${first.id}/commit`);
    const after = snapshot(w);
    expect(after).to.have.length(3);

    const again = await importFile(w, file);
    expect(textOf(again.text)).to.include('3 条无变化').and.include('将新增 0 条');
    expect(await submitImportForm(w.jiangsu, `/imports/${again.id}`, `/imports/${again.id}/commit`)).to.equal(undefined);
    expect(snapshot(w)).to.deep.equal(after);

    const undone = await submitImportForm(w.jiangsu, `/imports/${first.id}/undo`, `/imports/${first.id}/undo`);
    expect(undone?.status).to.equal(303);
    expect(snapshot(w)).to.deep.equal(before);
    expect(textOf((await w.jiangsu.get(`/records/funds/${existing.id}`)).text)).to.include('旧用途');

    // imported again, then one record edited by hand: the undo is refused and changes nothing
    const third = await importFile(w, file);
    await submitImportForm(w.jiangsu, `/imports/${third.id}`, `/imports/${third.id}/commit`);
    const edited = getRecord(w.db, SYSTEM, 'funds', existing.id).record;
    const input = Object.fromEntries(Object.entries(edited).filter(([, v]) => v !== null));
    updateRecord(w.db, SYSTEM, 'funds', existing.id, { ...input, purpose: '手工修改', version: edited.version } as never);
    const kept = snapshot(w);
    await submitImportForm(w.jiangsu, `/imports/${third.id}/undo`, `/imports/${third.id}/undo`);
    expect(textOf((await w.jiangsu.get(`/imports/${third.id}`)).text)).to.include('导入后有 1 条记录又被修改过');
    expect(snapshot(w)).to.deep.equal(kept);
  });

  it('when a list is exported as CSV or Excel and the file imported back, then nothing changes; a pairing’s year workbook holds a sheet per kind that imports back too', async () => {
    const w = await world();
    buildRecord(w.db, 'funds', w.county.id, {
      ref: 'F-1',
      purpose: '=HYPERLINK("x")',
      committedFen: 1_234_567,
      notes: '多行\n备注，含"引号"',
    });
    buildRecord(w.db, 'funds', w.county.id, {
      kind: 'social',
      form: 'goods',
      committedFen: 1,
      disbursedFen: 0,
      disbursedOn: undefined,
    });
    const project = buildRecord(w.db, 'projects', w.county.id, { ref: 'P-1' });
    buildRecord(w.db, 'funds', w.county.id, { ref: 'F-3', projectId: project.id });
    buildRecord(w.db, 'talents', w.county.id, {});
    const before = snapshot(w);
    const csv = await w.jiangsu.get(`/records/funds/export/csv?pairing=${w.county.id}`);
    expect(csv.text.startsWith('\uFEFF')).to.equal(true);
    const fromCsv = await uploadImport(w.jiangsu, 'funds', 'export.csv', Buffer.from(csv.text, 'utf8'));
    expect(textOf(fromCsv.text)).to.include('3 条无变化').and.include('将新增 0 条').and.include('0 行有错误');

    const xlsx = await download(w.jiangsu, `/records/funds/export/xlsx?pairing=${w.county.id}`);
    const fromXlsx = await uploadImport(w.jiangsu, 'funds', 'export.xlsx', xlsx.body);
    expect(textOf(fromXlsx.text)).to.include('3 条无变化').and.include('0 行有错误');

    const year = await download(w.jiangsu, `/pairings/${w.county.id}/export/2024`);
    expect((await sheetRows(year.body, '人才交流')).length).to.equal(3);
    expect((await sheetRows(year.body, '产业合作')).length).to.equal(3);
    for (const kind of ['funds', 'projects', 'talents']) {
      const back = await uploadImport(w.jiangsu, kind, 'year.xlsx', year.body);
      expect(textOf(back.text), kind).to.include('0 行有错误').and.include('将新增 0 条').and.include('将更新 0 条');
    }
    expect(snapshot(w)).to.deep.equal(before);
    expect(
      w.db
        .select({ n: count() })
        .from(projects)
        .where(and(eq(projects.pairingId, w.county.id)))
        .get()!.n,
    ).to.equal(1);
  });

  it('when a workbook has a formula, no sheet of the kind, or a header twice or missing, then each is named clearly and nothing is checked further', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'funds');
    const formula = await xlsxOf({
      资金支持: [
        tpl.labels,
        tpl.keys,
        tpl.row(fundRow(1)).map((c, i) => (tpl.keys[i] === 'committedFen:wan' ? { formula: '1+1', result: 2 } : c)),
      ],
    });
    expect(textOf((await uploadImport(w.jiangsu, 'funds', 'f.xlsx', formula)).text))
      .to.match(/J 列（协议\/承诺金额（万元））：单元格是公式/)
      .and.not.include('请填写金额数字');
    const twoSheets = await xlsxOf({ Sheet1: [tpl.labels, tpl.keys], Sheet2: [] });
    expect(textOf((await uploadImport(w.jiangsu, 'funds', 's.xlsx', twoSheets)).text)).to.include(
      '工作簿中没有名为“资金支持”的工作表（现有：Sheet1、Sheet2）',
    );
    // one sheet, whatever its name, under a title row, with a 序号 column, dates and amounts as Excel keeps them
    const labels = ['序号', ...tpl.labels];
    const keyed = (v: Record<string, string | number>) => ['1', ...tpl.row(v)];
    const oneSheet = await xlsxOf({
      Sheet1: [['2024年姑苏区资金台账'], labels, keyed({ ...fundRow(9), date: 45444, 'committedFen:wan': 3.3000000000000003 })],
    });
    const read = textOf((await uploadImport(w.jiangsu, 'funds', 'one.xlsx', oneSheet)).text);
    expect(read).to.include('将新增 1 条').and.include('0 行有错误');
    const twice = asUtf8(csvText([[...tpl.labels, '用途'], tpl.row(fundRow(1))]));
    expect(textOf((await uploadImport(w.jiangsu, 'funds', 't.csv', twice)).text)).to.include('列“用途”出现了不止一次');
    const missing = asUtf8(csvText([tpl.labels.filter((l) => !['用途', '帮扶方', '结对编号'].includes(l)), ['x']]));
    const missingText = textOf((await uploadImport(w.jiangsu, 'funds', 'm.csv', missing)).text);
    expect(missingText).to.include('缺少必填的列：用途').and.include('缺少结对信息');
  });
});
