import { expect } from 'chai';
import { and, eq, isNull } from 'drizzle-orm';
import { pairings } from '../../db/schema/index.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi } from '../support/factories.ts';
import { asUtf8, csvText, download, submitImportForm, templateOf, textOf, uploadImport } from '../support/imports.ts';

async function world() {
  const { app, db } = buildApp();
  const pairs = buildJiangsuShaanxi(db);
  const other = buildGuangdongGuizhou(db);
  const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
  return { app, db, ...pairs, other, jiangsu };
}
type World = Awaited<ReturnType<typeof world>>;
const live = (w: World) => w.db.select().from(pairings).where(isNull(pairings.deletedAt)).orderBy(pairings.id).all();

describe('imports: pairings and their pair-ups from a spreadsheet', function () {
  this.timeout(60_000);

  it('when an office imports a county pair and a pair-up below an existing one, then both are created under the right parents; a re-import changes nothing and an export imports back unchanged', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'pairings');
    expect(tpl.labels).to.include('层级').and.include('帮扶方').and.include('起始年度');
    const rows = [
      tpl.row({
        level: '县级结对',
        assistingCode: '江苏省/苏州市/吴中区',
        assistedCode: '陕西省/西安市/碑林区',
        startYear: 2021,
      }),
      tpl.row({
        level: 'pairup',
        pairupKind: '学校结对',
        parentId: w.county.id,
        assistingCode: '320508',
        assistingUnit: '苏州市第一中学',
        assistedCode: '610102',
        assistedUnit: '西安市新城区第三中学',
        startYear: 2022,
      }),
    ];
    const file = asUtf8(csvText([tpl.labels, tpl.keys, ...rows]));
    const first = await uploadImport(w.jiangsu, 'pairings', '结对.csv', file);
    expect(textOf(first.text)).to.include('将新增 2 条').and.include('0 行有错误');
    await submitImportForm(w.jiangsu, `/imports/${first.id}`, `/imports/${first.id}/commit`);
    const created = live(w).filter((p) => p.assistingCode === '320506' || p.level === 'pairup');
    expect(created.map((p) => [p.level, p.parentId])).to.deep.equal([
      ['county', w.province.id],
      ['pairup', w.county.id],
    ]);

    const again = await uploadImport(w.jiangsu, 'pairings', '结对.csv', file);
    expect(textOf(again.text)).to.include('2 条无变化').and.include('将新增 0 条');

    const exported = await download(w.jiangsu, '/pairings/export/xlsx');
    const back = await uploadImport(w.jiangsu, 'pairings', 'pairings.xlsx', exported.body);
    expect(textOf(back.text)).to.include('4 条无变化').and.include('0 行有错误').and.include('将新增 0 条');

    await submitImportForm(w.jiangsu, `/imports/${first.id}/undo`, `/imports/${first.id}/undo`);
    expect(live(w)).to.have.length(4); // the two of 江苏–陕西 and the two of 广东–贵州
  });

  it('when a row ends a pair, moves its sides, or names another region’s pair, then the end is an update and the others are errors', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'pairings');
    const county = { id: w.county.id, level: 'county', assistingCode: '320508', assistedCode: '610102', startYear: 2021 };
    const file = csvText([
      tpl.labels,
      tpl.keys,
      tpl.row({ ...county, endYear: 2025, status: '已结束' }),
      tpl.row({ ...county, id: w.county.id, assistedCode: '610103' }),
      tpl.row({ level: 'county', assistingCode: '440104', assistedCode: '520602', startYear: 2021 }),
    ]);
    const dry = await uploadImport(w.jiangsu, 'pairings', 'p.csv', asUtf8(file));
    const text = textOf(dry.text);
    expect(text).to.include('将更新 1 条').and.include('2 行有错误');
    const updates = textOf((await w.jiangsu.get(`/imports/${dry.id}?show=update`)).text);
    expect(updates).to.include('状态：进行中 → 已结束').and.include('结束年度：— → 2025');
    expect(text).to.match(/4 \S+ 列（受援方）：导入不改变已有结对关系/);
    expect(text).to.match(/5 \S+ 列（帮扶方）：/);
    expect(
      w.db
        .select()
        .from(pairings)
        .where(and(eq(pairings.id, w.county.id)))
        .get()!.status,
    ).to.equal('active');
  });
});

describe('exports: the region code table', () => {
  it('when the region list is exported, then it holds every province, prefecture and county with its parent and zone, or a search’s matches', async () => {
    const { app, db } = buildApp();
    const staff = await loginAs(app, await buildUser(db));
    const all = (await staff.get('/regions/export/csv')).text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(all[0]).to.equal('代码,名称,层级,全称,上级代码,协作区域');
    expect(all).to.include('610102,新城区,县级,陕西省 西安市 新城区,610100,西部（受援方）');
    expect(all.length).to.be.greaterThan(3000);
    const found = (await staff.get('/regions/export/csv?q=苏州')).text.trim().split('\r\n');
    expect(found.length).to.be.within(2, 20);
    expect(found.slice(1).every((line) => line.includes('苏州'))).to.equal(true);
  });
});
