import { expect } from 'chai';
import { journey, type Journey } from '../../support/journey.ts';

/**
 * 江苏's office staff adds an industry project to its province pairing with 陕西: types an
 * investment no one can read, reads the message under the field, fixes it, saves, and then finds
 * the project in the pairing's figures and in its readable history.
 */
async function addProject(j: Journey, keyboard = false) {
  const office = await j.as('office.jiangsu', { keyboard });
  const { page } = office;
  await office.nav('结对关系');
  await office.go(page.getByRole('link', { name: '江苏省 → 陕西省' }).first());
  const before = await office.text();
  const investedBefore = figure(before, '实际到位投资');
  await office.go(page.getByRole('link', { name: '新增' }).nth(2)); // 产业合作 · 新增
  expect(await page.innerText('h1')).to.contain('新增产业合作记录');

  await office.fill(page.getByLabel('日期'), '2026-06-18');
  await office.choose(page.getByLabel('类别'), '产业项目');
  await office.fill(page.getByLabel('项目名称'), '紫阳富硒茶精深加工');
  await office.fill(page.getByLabel('企业'), '江苏茶业集团');
  await office.fill(page.getByLabel('协议投资', { exact: true }), '3,000');
  await office.fill(page.getByLabel('实际到位投资', { exact: true }), '1,2OO'); // letter O for zero
  await office.fill(page.getByLabel('项目所在地代码'), '610924');
  await office.choose(page.getByLabel('状态'), '在建');
  await office.fill(page.getByLabel('带动就业人数'), '85');
  await office.go(page.getByRole('button', { name: '保存' }));

  // refused with one message at the field, everything typed still there
  const refused = await office.text();
  expect(refused).to.match(/实际到位投资[\s\S]*(金额|数字|格式)/);
  expect(await page.getByLabel('项目名称').inputValue()).to.equal('紫阳富硒茶精深加工');
  expect(await page.getByLabel('实际到位投资', { exact: true }).inputValue()).to.equal('1,2OO');
  expect(await page.getByLabel('带动就业人数').inputValue()).to.equal('85');
  const invalid = page.getByLabel('实际到位投资', { exact: true });
  expect(await invalid.getAttribute('aria-invalid')).to.equal('true');
  await office.snap('project-form-error');

  await office.fill(invalid, '1,200');
  await office.go(page.getByRole('button', { name: '保存' }));
  const saved = await office.text();
  expect(saved).to.contain('紫阳富硒茶精深加工');
  expect(saved).to.contain('1,200');

  // the pairing page counts it: 实际到位投资 grows by 1,200 万元
  await office.go(page.getByRole('link', { name: '江苏省 → 陕西省' }).first());
  const after = await office.text();
  expect(figure(after, '实际到位投资') - investedBefore).to.be.closeTo(1200, 0.001);
  // 最近变更: the new project by its name, linked to it
  expect(await page.locator('ul.recent li').first().innerText())
    .to.contain('新建 · 产业项目')
    .and.to.contain('紫阳富硒茶精深加工');

  // the readable history names the change in words and figures, not codes
  await office.go(page.getByRole('link', { name: '变更历史' }).first());
  expect(await office.text()).to.contain('产业项目 紫阳富硒茶精深加工');
  await office.reveal(page.locator('table.history details summary').first());
  const history = await office.text();
  expect(history).to.contain('紫阳富硒茶精深加工');
  expect(history).to.contain('新建 · 产业项目 紫阳富硒茶精深加工');
  expect(history).to.contain('陕西省 安康市 紫阳县'); // the place by its name, not 610924
  expect(history).to.contain('1,200');
  expect(history).not.to.match(/actualFen|pledgedFen|locationCode/);
  return office;
}

/** The first number after a label in a page's text (its 完成值 column), commas dropped. */
export function figure(text: string, label: string): number {
  const m = new RegExp(`${label}[^\\d]*?([\\d,]+(?:\\.\\d+)?)`).exec(text);
  expect(m, `${label} in the figures`).to.not.equal(null);
  return Number(m![1]!.replace(/,/g, ''));
}

journey('office staff adds a project with a wrong value, fixes it, and finds it on the pairing and in its history', (j) =>
  addProject(j).then(() => undefined),
);

journey(
  'the same journey by keyboard alone (Tab, typing, arrow keys and Enter; no mouse)',
  (j) => addProject(j, true).then(() => undefined),
  [{ width: 1366, height: 768 }],
);
