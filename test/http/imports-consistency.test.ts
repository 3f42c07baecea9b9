import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { expect } from 'chai';
import { count, eq } from 'drizzle-orm';
import { auditLog, funds, imports } from '../../db/schema/index.ts';
import { failInterruptedImports } from '../../server/exchange/imports.service.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { commentOnRecord, confirmFund } from '../../server/records/records.service.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildPairing, buildRecord } from '../support/factories.ts';
import { asUtf8, csvText, submitImportForm, templateOf, textOf, uploadImport } from '../support/imports.ts';
import { deflatedZeros, stored, zipOf } from '../support/zip.ts';

async function world() {
  const { app, db } = buildApp();
  const pairs = buildJiangsuShaanxi(db);
  const staff = await buildUser(db, { username: 'office.jiangsu' });
  const jiangsu = await loginAs(app, staff);
  const shaanxiUser = await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' });
  return { app, db, ...pairs, staff, jiangsu, shaanxiUser };
}
type World = Awaited<ReturnType<typeof world>>;

const fund = (ref: string, extra: Record<string, string | number> = {}) => ({
  assisting: '320508',
  assisted: '610102',
  year: 2024,
  date: '2024-03-01',
  kind: '财政援助',
  form: 'money',
  'committedFen:wan': 1,
  disbursedFen: '',
  purpose: '产业发展',
  ref,
  ...extra,
});

async function importRows(w: World, rows: Record<string, string | number>[]) {
  const tpl = await templateOf(w.jiangsu, 'funds');
  return uploadImport(w.jiangsu, 'funds', 'f.csv', asUtf8(csvText([tpl.labels, tpl.keys, ...rows.map(tpl.row)])));
}
const page = async (w: World, id: number | undefined) => textOf((await w.jiangsu.get(`/imports/${id}`)).text);
const commit = (w: World, id: number | undefined) => submitImportForm(w.jiangsu, `/imports/${id}`, `/imports/${id}/commit`);
const fundByRef = (w: World, ref: string) => w.db.select().from(funds).where(eq(funds.ref, ref)).get()!;

describe('imports: what the dry run showed is what the commit does', function () {
  this.timeout(60_000);

  it('when a colleague edits a record after the dry run and the structure changes too, then the commit is refused and keeps the colleague’s edit', async () => {
    const w = await world();
    buildRecord(w.db, 'funds', w.county.id, {
      ref: 'A',
      committedFen: 1_000_000,
      disbursedFen: 0,
      disbursedOn: undefined,
      purpose: '旧用途',
    });
    const dry = await importRows(w, [fund('A', { purpose: '新用途' })]);
    expect(textOf(dry.text)).to.include('用途：旧用途 → 新用途');
    // the change is stored as values: the page speaks the reader's language
    await w.jiangsu.get('/lang/en');
    expect(textOf((await w.jiangsu.get(`/imports/${dry.id}`)).text)).to.include('Purpose：旧用途 → 新用途');
    await w.jiangsu.get('/lang/zh-CN');
    w.db.update(funds).set({ committedFen: 5_000_000_000, version: 2 }).where(eq(funds.ref, 'A')).run(); // 500 万元
    buildPairing(w.db, { level: 'county', assistingCode: '320509', assistedCode: '610103' }); // the slow path
    await commit(w, dry.id);
    expect(await page(w, dry.id)).to.include('检查之后平台上的数据有了变化');
    expect(fundByRef(w, 'A')).to.include({ committedFen: 5_000_000_000, purpose: '旧用途' });
  });

  it('when a record the dry run found unchanged is edited before the commit, then the commit is refused and applies nothing', async () => {
    const w = await world();
    buildRecord(w.db, 'funds', w.county.id, { ref: 'U', committedFen: 1_000_000, disbursedFen: 0, disbursedOn: undefined });
    const dry = await importRows(w, [fund('U'), fund('NEW')]);
    expect(textOf(dry.text)).to.include('1 条无变化').and.include('将新增 1 条');
    w.db.update(funds).set({ purpose: '刚改过', version: 2 }).where(eq(funds.ref, 'U')).run();
    await commit(w, dry.id);
    expect(await page(w, dry.id)).to.include('检查之后平台上的数据有了变化（第 3 行）');
    expect(w.db.select({ n: count() }).from(funds).where(eq(funds.ref, 'NEW')).get()!.n).to.equal(0);
  });

  it('when two rows would hold the same ledger number (one new, one renumbered), then the second is an error in the dry run', async () => {
    const w = await world();
    const other = buildRecord(w.db, 'funds', w.county.id, { ref: 'Y' });
    const dry = await importRows(w, [fund('X'), fund('X', { id: other.id })]);
    expect(textOf(dry.text))
      .to.include('1 行有错误')
      .and.match(/4 \S+ 列（台账编号）：与第 3 行是同一条记录/);
  });

  it('when an amount changes in its sixth decimal of 万元, or a confirmed transfer’s amount changes, then the dry run shows each change exactly', async () => {
    const w = await world();
    const confirmed = buildRecord(w.db, 'funds', w.county.id, { ref: 'C', committedFen: 1_234_567, disbursedFen: 1_234_567 });
    confirmFund(w.db, SYSTEM, confirmed.id, { receivedFen: 1_234_567, version: 1 });
    const dry = await importRows(w, [fund('C', { 'committedFen:wan': '1.234568', disbursedFen: '', disbursedOn: '2024-03-02' })]);
    const text = textOf(dry.text);
    expect(text).to.include('协议/承诺金额：1.234567 → 1.234568').and.include('到账确认：已确认到账 → 待确认');
  });

  it('when a record an import created has drawn a comment from the other side, then undoing the import is refused and keeps both', async () => {
    const w = await world();
    const dry = await importRows(w, [fund('K')]);
    await commit(w, dry.id);
    const created = fundByRef(w, 'K');
    commentOnRecord(w.db, { id: w.shaanxiUser.id, role: 'staff', scope: '61' }, 'funds', created.id, '已收到，金额无误');
    await submitImportForm(w.jiangsu, `/imports/${dry.id}/undo`, `/imports/${dry.id}/undo`);
    expect(await page(w, dry.id)).to.include('导入后有 1 条记录又被修改过');
    expect(fundByRef(w, 'K')).to.not.equal(undefined);
  });

  it('when a record an import created carries a file (a voucher), then undoing the import is refused and keeps both', async () => {
    const w = await world();
    const dry = await importRows(w, [fund('F')]);
    await commit(w, dry.id);
    const created = fundByRef(w, 'F');
    w.db.$client
      .prepare(
        "INSERT INTO record_files (record_kind, record_id, user_id, filename, mime, size, data) VALUES ('funds', ?, ?, '拨付凭证.pdf', 'application/pdf', 4, x'25504446')",
      )
      .run(created.id, w.shaanxiUser.id);
    await submitImportForm(w.jiangsu, `/imports/${dry.id}/undo`, `/imports/${dry.id}/undo`);
    expect(await page(w, dry.id)).to.include('导入后有 1 条记录又被修改过');
    expect(fundByRef(w, 'F')).to.not.equal(undefined);
    expect(w.db.$client.prepare('SELECT count(*) AS n FROM record_files').get()).to.deep.equal({ n: 1 });
  });

  it('when a workbook numbers its one row 4,000,000, or one of its parts unpacks past 40 MB, then it is refused at once', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'funds');
    // the header rows at row 4,000,000 (a sheet's row numbers are the file's own)
    const rows: (string | number)[][] = [tpl.labels, tpl.keys];
    const gap = await xlsxWithRowAt(rows, 4_000_000);
    const started = performance.now();
    const res = await uploadImport(w.jiangsu, 'funds', 'gap.xlsx', gap);
    expect(textOf(res.text)).to.include('文件超过 100000 行');
    expect(performance.now() - started).to.be.below(5_000);

    const padding = randomBytes(1024 * 1024); // incompressible: the file is big enough that 41 MB is no bomb by ratio
    const zeros = await deflatedZeros(41);
    const big = zipOf([
      stored('[Content_Types].xml', '<Types/>'),
      { name: 'xl/media/pad.bin', data: padding, method: 0, crc: crc32(padding), size: padding.length },
      { name: 'xl/sharedStrings.xml', method: 8, ...zeros },
    ]);
    const refused = await uploadImport(w.jiangsu, 'funds', 'big.xlsx', big);
    expect(textOf(refused.text)).to.include('解压后过大');
  });

  it('when the server restarts during a check, then the import says it was cut off; an export leaves an audit row', async () => {
    const w = await world();
    const [row] = w.db
      .insert(imports)
      .values({ userId: w.staff.id, kind: 'funds', fileName: 'big.csv', format: 'csv', fileBytes: 10 })
      .returning()
      .all();
    failInterruptedImports(w.db);
    expect(await page(w, row!.id)).to.include('检查过程中系统重新启动');
    const before = w.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'export')).get()!.n;
    await w.jiangsu.get(`/records/funds/export/csv?pairing=${w.county.id}`);
    expect(w.db.select({ n: count() }).from(auditLog).where(eq(auditLog.action, 'export')).get()!.n).to.equal(before + 1);
  });
});

/** A workbook whose only rows (the header) stand at the given row number. */
async function xlsxWithRowAt(rows: (string | number)[][], at: number): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default;
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('资金支持');
  rows.forEach((r, i) => (sheet.getRow(at + i).values = r));
  return Buffer.from(await book.xlsx.writeBuffer());
}
