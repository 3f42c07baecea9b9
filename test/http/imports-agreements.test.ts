import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { agreements } from '../../db/schema/index.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { asUtf8, csvText, download, submitImportForm, templateOf, textOf, uploadImport } from '../support/imports.ts';

async function world() {
  const { app, db } = buildApp();
  const pairs = buildJiangsuShaanxi(db);
  const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
  const shaanxi = await loginAs(app, await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' }));
  return { app, db, ...pairs, jiangsu, shaanxi };
}

describe('imports: annual agreements from a spreadsheet', function () {
  this.timeout(60_000);

  it('when the assisting office imports its targets for two years, then each pairing and year gets one agreement; a changed target is an update shown old → new; the year workbook brings it back unchanged', async () => {
    const w = await world();
    const tpl = await templateOf(w.jiangsu, 'agreements');
    expect(tpl.labels).to.include('财政援助资金目标（万元）');
    const row = (year: number, fiscal: string, jobs: number) =>
      tpl.row({
        assisting: '江苏省/苏州市/姑苏区',
        assisted: '陕西省/西安市/新城区',
        year,
        'fiscalFundsFen:wan': fiscal,
        jobs,
        signedOn: `${year}-03-01`,
      });
    const first = await uploadImport(
      w.jiangsu,
      'agreements',
      '协议.csv',
      asUtf8(csvText([tpl.labels, tpl.keys, row(2024, '1200', 300), row(2025, '1300', 320)])),
    );
    expect(textOf(first.text)).to.include('将新增 2 条').and.include('0 行有错误');
    await submitImportForm(w.jiangsu, `/imports/${first.id}`, `/imports/${first.id}/commit`);
    const saved = w.db.select().from(agreements).where(eq(agreements.pairingId, w.county.id)).orderBy(agreements.year).all();
    expect(saved.map((a) => [a.year, a.fiscalFundsFen, a.jobs])).to.deep.equal([
      [2024, 1_200_000_000, 300],
      [2025, 1_300_000_000, 320],
    ]);

    const changed = await uploadImport(
      w.jiangsu,
      'agreements',
      '协议.csv',
      asUtf8(csvText([tpl.labels, tpl.keys, row(2024, '1250', 300), row(2025, '1300', 320)])),
    );
    expect(textOf(changed.text))
      .to.include('将更新 1 条')
      .and.include('1 条无变化')
      .and.include('财政援助资金目标：1,200 → 1,250');

    const year = await download(w.jiangsu, `/pairings/${w.county.id}/export/2024`);
    const back = await uploadImport(w.jiangsu, 'agreements', 'year.xlsx', year.body);
    expect(textOf(back.text)).to.include('1 条无变化').and.include('0 行有错误').and.include('将新增 0 条');

    // undone: the agreements are gone again
    await submitImportForm(w.jiangsu, `/imports/${first.id}/undo`, `/imports/${first.id}/undo`);
    expect(w.db.select().from(agreements).where(eq(agreements.pairingId, w.county.id)).all()).to.have.length(0);
  });

  it('when the assisted side, or a year outside the pairing, is imported, then those rows are errors', async () => {
    const w = await world();
    const tpl = await templateOf(w.shaanxi, 'agreements');
    const file = csvText([tpl.labels, tpl.keys, tpl.row({ pairing: w.county.id, year: 2024, jobs: 10 })]);
    const theirs = await uploadImport(w.shaanxi, 'agreements', 'a.csv', asUtf8(file));
    expect(textOf(theirs.text)).to.include('1 行有错误').and.include('结对编号');
    const early = await uploadImport(
      w.jiangsu,
      'agreements',
      'b.csv',
      asUtf8(csvText([tpl.labels, tpl.keys, tpl.row({ pairing: w.county.id, year: 2019, jobs: 10 })])),
    );
    expect(textOf(early.text)).to.include('1 行有错误').and.match(/年度/);
  });
});
