import { expect } from 'chai';
import { and, eq, isNull } from 'drizzle-orm';
import { funds, importRows, talents } from '../../db/schema/index.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildPairing, buildRecord } from '../support/factories.ts';
import {
  asGbk,
  asUtf8,
  asUtf8Bom,
  csvText,
  download,
  sheetRows,
  submitImportForm,
  templateOf,
  textOf,
  uploadImport,
} from '../support/imports.ts';

async function world() {
  const { app, db } = buildApp();
  const pairs = buildJiangsuShaanxi(db);
  const other = buildGuangdongGuizhou(db);
  const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
  const shaanxi = await loginAs(app, await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' }));
  return { app, db, ...pairs, other, jiangsu, shaanxi };
}

/** A transfer of the county pair 苏州姑苏 → 西安新城 as an office would fill the template. */
const fundRow = (i: number, extra: Record<string, string | number> = {}) => ({
  assisting: '江苏省/苏州市/姑苏区',
  assisted: '610102',
  year: 2024,
  date: `2024/${(i % 12) + 1}/${(i % 28) + 1}`,
  kind: i % 2 ? '财政援助' : '社会帮扶',
  form: 'money',
  'committedFen:wan': `${10 + i}.5`,
  purpose: `帮扶项目 ${i}`,
  ref: `GS-2024-${String(i).padStart(3, '0')}`,
  ...extra,
});

const liveFunds = (db: ReturnType<typeof buildApp>['db'], pairingId: number) =>
  db
    .select()
    .from(funds)
    .where(and(eq(funds.pairingId, pairingId), isNull(funds.deletedAt)))
    .all();

describe('imports: an office brings its spreadsheet in', function () {
  this.timeout(60_000);

  it('when office.jiangsu uploads 200 transfers saved as GBK CSV with three mistakes, then the dry run names all three by row and column, changes nothing, and after the fix the commit brings every row to the pairing and its export', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'funds');
    expect(tpl.labels).to.include('协议/承诺金额（万元）');
    const data = Array.from({ length: 200 }, (_, i) => fundRow(i + 1));
    const bad = data.map((r) => ({ ...r }));
    bad[49]!.date = '2024-13-01'; // file row 52
    bad[119]!.assisted = '新城'; // no region has this name; file row 122
    bad[199]!.purpose = ''; // required; file row 202
    const rows = (list: typeof data) => csvText([tpl.labels, tpl.keys, ...list.map(tpl.row)]);

    const dry = await uploadImport(w.jiangsu, 'funds', '姑苏区资金.csv', asGbk(rows(bad)));
    const text = textOf(dry.text);
    expect(text).to.include('GBK/GB18030');
    expect(text).to.include('将新增 197 条').and.include('3 行有错误');
    expect(text).to.match(/52 G 列（日期）/);
    expect(text).to.match(/122 D 列（受援方）：没有这个名称的行政区划/);
    expect(text).to.match(/202 N 列（用途）/);
    expect(liveFunds(w.db, w.county.id)).to.have.length(0);
    expect(await submitImportForm(w.jiangsu, `/imports/${dry.id}`, `/imports/${dry.id}/commit`)).to.equal(undefined);

    // the bad rows come back as a copy of the upload with an error column
    const copy = await w.jiangsu.get(`/imports/${dry.id}/errors/csv`);
    const copyLines = copy.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(copyLines).to.have.length(2 + 3);
    expect(copyLines[0]).to.match(/,错误$/);
    expect(copyLines[3]).to.include('新城').and.include('没有这个名称的行政区划');

    const good = await uploadImport(w.jiangsu, 'funds', '姑苏区资金.csv', asGbk(rows(data)));
    expect(textOf(good.text)).to.include('将新增 200 条').and.include('0 行有错误');
    const committed = await submitImportForm(w.jiangsu, `/imports/${good.id}`, `/imports/${good.id}/commit`);
    expect(committed?.status).to.equal(303);
    const stored = liveFunds(w.db, w.county.id);
    expect(stored).to.have.length(200);
    const first = stored.find((f) => f.ref === 'GS-2024-001')!;
    expect(first).to.include({ committedFen: 11_500_000, kind: 'fiscal', date: '2024-02-02', side: 'assisting', year: 2024 });

    const list = await w.jiangsu.get(`/records/funds?pairing=${w.county.id}`);
    expect(textOf(list.text)).to.include('共 200 条');
    const xlsx = await download(w.jiangsu, `/records/funds/export/xlsx?pairing=${w.county.id}`);
    const sheet = await sheetRows(xlsx.body, '资金支持');
    expect(sheet).to.have.length(2 + 200);
    const keys = sheet[1] as string[];
    const row1 = sheet.find((r) => r[keys.indexOf('ref')] === 'GS-2024-001')!;
    expect(row1[keys.indexOf('committedFen:wan')]).to.equal(11.5);
    expect(row1[keys.indexOf('assistedName')]).to.include('新城区');

    // the listed import names who, when, the file and its counts
    const imports = textOf((await w.jiangsu.get('/imports')).text);
    expect(imports).to.include('姑苏区资金.csv').and.include('已提交');
  });

  it('when the same rows arrive as GB18030, UTF-8 and UTF-8 with a BOM, then the three dry runs decode the same values and plan the same outcomes', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'funds');
    const text = csvText([tpl.labels, tpl.keys, ...[1, 2, 3].map((i) => tpl.row(fundRow(i, { notes: '“镇安”·核桃，陕南' })))]);
    const ids: number[] = [];
    for (const [name, bytes] of [
      ['gbk.csv', asGbk(text)],
      ['utf8.csv', asUtf8(text)],
      ['bom.csv', asUtf8Bom(text)],
    ] as const) {
      const up = await uploadImport(w.jiangsu, 'funds', name, bytes);
      ids.push(up.id!);
    }
    const stored = ids.map((id) =>
      w.db.select({ plan: importRows.plan, action: importRows.action }).from(importRows).where(eq(importRows.importId, id)).all(),
    );
    expect(stored[0]).to.have.length(5);
    expect((stored[0]!.at(-1)!.plan as { values: { notes: string } }).values.notes).to.equal('“镇安”·核桃，陕南');
    expect(stored[1]).to.deep.equal(stored[0]);
    expect(stored[2]).to.deep.equal(stored[0]);
  });

  it('when regions are given by code, by name path or by a unique name, then they name the same pairing (not the pair-ups below it); an ambiguous name is an error listing the candidates', async () => {
    const w = await world();
    // a pair-up below the county pair stands in the same two regions: sides name the region pair
    buildPairing(w.db, {
      level: 'pairup',
      pairupKind: 'school',
      parentId: w.county.id,
      assistingCode: '320508',
      assistingUnit: '苏州市第一中学',
      assistedCode: '610102',
      assistedUnit: '西安市第三中学',
      startYear: 2022,
    });
    const tpl = await templateOf(w.jiangsu, 'funds');
    const file = (assisting: string, assisted: string) =>
      asUtf8(csvText([tpl.labels, tpl.keys, tpl.row(fundRow(1, { assisting, assisted }))]));
    const byCode = await uploadImport(w.jiangsu, 'funds', 'a.csv', file('320508', '610102'));
    expect(textOf(byCode.text)).to.include('将新增 1 条');
    await submitImportForm(w.jiangsu, `/imports/${byCode.id}`, `/imports/${byCode.id}/commit`);
    // the same record named by name path: nothing to change
    const byPath = await uploadImport(w.jiangsu, 'funds', 'b.csv', file('江苏省/苏州市/姑苏区', '陕西省 西安市 新城区'));
    expect(textOf(byPath.text)).to.include('1 条无变化').and.include('将新增 0 条');
    const unique = await uploadImport(w.jiangsu, 'funds', 'c.csv', file('姑苏区', '610102'));
    expect(textOf(unique.text)).to.include('1 条无变化');
    // 新城区 names districts of 西安, 长春, 呼和浩特 …
    const ambiguous = await uploadImport(w.jiangsu, 'funds', 'd.csv', file('320508', '新城区'));
    const text = textOf(ambiguous.text);
    expect(text).to.include('有多个同名的行政区划').and.include('陕西省/西安市/新城区（610102）');
    expect(text.match(/新城区（\d{6}）/g)?.length).to.be.greaterThan(1);
  });

  it('when rows name a pairing outside the office’s scope, or a record the other side owns, then those rows are errors and the rest stay as planned', async () => {
    const w = await world();
    const theirs = buildRecord(w.db, 'talents', w.county.id, { ref: 'XC-T-1' });
    w.db.update(talents).set({ side: 'assisted' }).where(eq(talents.id, theirs.id)).run(); // entered by 西安新城
    const tpl = await templateOf(w.jiangsu, 'talents');
    const talent = (assisting: string, assisted: string, ref: string) =>
      tpl.row({
        assisting,
        assisted,
        year: 2024,
        date: '2024-03-01',
        kind: '挂职干部',
        direction: 'to_west',
        people: 2,
        startOn: '2024-03-01',
        ref,
      });
    const up = await uploadImport(
      w.jiangsu,
      'talents',
      't.csv',
      asUtf8(
        csvText([
          tpl.labels,
          tpl.keys,
          talent('320508', '610102', 'OK-1'),
          talent('440104', '520602', 'GD-1'),
          talent('320508', '610102', 'XC-T-1'),
        ]),
      ),
    );
    const text = textOf(up.text);
    expect(text).to.include('将新增 1 条').and.include('2 行有错误');
    expect(text).to.match(/4 \S+ 列（受援方）：找不到这个结对关系，或它不在您的管理范围内/);
    expect(text).to.match(/5 E 列（录入方）：/);

    // the assisted side may not enter transfers (the giver's record) at all
    const ftpl = await templateOf(w.shaanxi, 'funds');
    const fromShaanxi = await uploadImport(
      w.shaanxi,
      'funds',
      'f.csv',
      asUtf8(csvText([ftpl.labels, ftpl.keys, ftpl.row(fundRow(1))])),
    );
    expect(textOf(fromShaanxi.text)).to.include('1 行有错误').and.include('录入方');
  });
});
