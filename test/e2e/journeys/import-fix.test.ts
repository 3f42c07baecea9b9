import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import ExcelJS from 'exceljs';
import { journey } from '../../support/journey.ts';

/**
 * 江苏's office downloads the funds template, fills three transfers in "Excel" (one with an amount
 * no one can read), uploads it: the check refuses the file, names the row and the column, and
 * nothing is written. It fixes the cell, uploads again, the check passes, it commits after the
 * confirmation, and finds the three transfers in its list.
 */
const PURPOSES = ['汉阴县人居环境整治二期', '汉阴县易地搬迁后续扶持', '汉阴县职业教育实训基地'];

journey('an import with a bad row is refused in the check, fixed and committed', async (j) => {
  const office = await j.as('office.jiangsu');
  const { page } = office;
  await office.nav('导入');
  await office.go(page.locator('main').getByRole('link', { name: '导入记录' }).first());
  const template = await office.download(page.getByRole('link', { name: '下载 Excel 模板' }));
  expect(template.name).to.match(/\.xlsx$/);

  const dir = mkdtempSync(join(tmpdir(), 'ewc-journey-import-'));
  const file = join(dir, '资金支持.xlsx');
  writeFileSync(file, await filled(template.body, '12,3x4'));
  await page.setInputFiles('input[type="file"]', file);
  await office.go(page.getByRole('button', { name: '上传并检查' }));
  const refused = await office.text();
  expect(refused).to.contain('1 行有错误');
  // rows 1–2 are the headers: the second transfer is the sheet's row 4, its amount column J
  const bad = page.locator('main tbody tr').filter({ hasText: 'J 列（协议/承诺金额（万元））' });
  expect(await bad.count()).to.equal(1);
  expect((await bad.locator('td').first().innerText()).trim()).to.equal('4');
  expect(await page.locator('main').getByRole('button', { name: /提交/ }).count(), 'no commit offered').to.equal(0);
  await office.snap('import-refused');

  // nothing was written: the list holds none of the three
  await office.nav('协作记录');
  for (const purpose of PURPOSES) expect(await office.text()).not.to.contain(purpose);

  await office.nav('导入');
  await office.go(page.locator('main').getByRole('link', { name: '导入记录' }).first());
  writeFileSync(file, await filled(template.body, '1,234'));
  await page.setInputFiles('input[type="file"]', file);
  await office.go(page.getByRole('button', { name: '上传并检查' }));
  const checked = await office.text();
  expect(checked).to.contain('将新增 3 条').and.to.contain('0 行有错误');
  await office.snap('import-checked');
  await office.go(page.getByRole('button', { name: /提交/ }).first());
  const done = await office.text();
  expect(done).to.match(/已提交|已导入|导入完成/);
  await office.snap('import-done');

  await office.nav('协作记录');
  const list = await office.text();
  for (const purpose of PURPOSES) expect(list).to.contain(purpose);
  expect(list).to.contain('1,234.00');
});

/** The template with three transfers from 江苏省 to 陕西省 filled in from its third row; the second's amount as given. */
async function filled(template: Buffer, secondAmount: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(template as unknown as ArrayBuffer);
  const sheet = book.worksheets[0]!;
  const keys = (sheet.getRow(2).values as unknown[]).slice(1).map(String);
  const col = (key: string) => {
    const at = keys.indexOf(key);
    expect(at, `column ${key} in the template: ${keys.join(' ')}`).to.be.at.least(0);
    return at + 1;
  };
  const amounts = ['120', secondAmount, '80'];
  PURPOSES.forEach((purpose, i) => {
    const row = sheet.getRow(3 + i);
    const set = (key: string, value: string | number) => (row.getCell(col(key)).value = value);
    set('assisting', '江苏省');
    set('assisted', '陕西省');
    set('year', 2026);
    set('date', `2026-07-0${i + 1}`);
    set('kind', '财政援助');
    set('form', '资金');
    set('committedFen:wan', amounts[i]!);
    set('purpose', purpose);
    set('ref', `JS-IMP-00${i + 1}`);
    row.commit();
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}
