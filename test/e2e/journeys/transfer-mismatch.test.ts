import { expect } from 'chai';
import { journey } from '../../support/journey.ts';

/**
 * 陕西's office finds a transfer waiting for its confirmation from its home page, confirms it with
 * less than was sent, and both sides then read 金额不符 with both amounts: 陕西 on the transfer,
 * 江苏 through its own list filtered to mismatches.
 */
journey('the assisted side confirms a transfer with a different amount; both sides see the mismatch', async (j) => {
  const shaanxi = await j.as('office.shaanxi');
  await shaanxi.go(shaanxi.page.getByRole('link', { name: /待确认到账的资金往来/ }));
  // the first transfer it may confirm: one under a pairing whose 2026 report 陕西 has submitted says so, and is left
  const rows = shaanxi.page.locator('main tbody tr');
  let picked: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = (await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim());
    await shaanxi.go(rows.nth(i).getByRole('link', { name: '详情' }));
    const offered = shaanxi.page.locator('main').getByRole('link', { name: '确认到账' });
    if ((await offered.count()) > 0) {
      picked = cells;
      break;
    }
    expect(await shaanxi.text(), 'why a waiting transfer cannot be confirmed').to.contain('已报送并锁定，不能确认到账');
    await shaanxi.back();
  }
  const [date, pairing, , purpose] = picked;
  expect(date, 'a transfer 陕西 may confirm').to.be.a('string');
  expect(await shaanxi.text()).to.contain('待确认');
  const sent = amountAfter(await shaanxi.text(), '已拨付金额');
  await shaanxi.go(shaanxi.page.locator('main').getByRole('link', { name: '确认到账' }));

  const received = sent - 100;
  await shaanxi.fill(shaanxi.page.getByRole('textbox', { name: /^实际到账金额/ }), received.toLocaleString('en-US'));
  await shaanxi.go(shaanxi.page.getByRole('button', { name: '确认到账' }));
  const confirmed = await shaanxi.text();
  expect(confirmed).to.contain('金额不符');
  expect(confirmed).to.contain(received.toLocaleString('en-US', { minimumFractionDigits: 2 }));
  await shaanxi.snap('transfer-mismatch');

  const jiangsu = await j.as('office.jiangsu');
  await jiangsu.nav('协作记录');
  await jiangsu.fill(jiangsu.page.getByLabel('年度'), date!.slice(0, 4));
  await jiangsu.choose(jiangsu.page.getByLabel('到账确认'), '金额不符');
  await jiangsu.go(jiangsu.page.getByRole('button', { name: '查询' }));
  const mine = jiangsu.page.locator('main tbody tr').filter({ hasText: date! }).filter({ hasText: purpose! });
  expect(await mine.count(), `${date} ${pairing} ${purpose} among 江苏's mismatches`).to.equal(1);
  await jiangsu.go(mine.getByRole('link', { name: '详情' }));
  const seen = await jiangsu.text();
  expect(seen).to.contain('金额不符');
  expect(amountAfter(seen, '已拨付金额')).to.equal(sent);
  expect(amountAfter(seen, '实际到账')).to.equal(received);

  // the pairing's history names the confirmation by the transfer's purpose (the change itself wrote none)
  await jiangsu.go(jiangsu.page.locator('nav.crumbs a').first());
  await jiangsu.go(jiangsu.page.getByRole('link', { name: '变更历史' }).first());
  const history = jiangsu.page.locator('table.history tbody tr').first();
  expect(await history.innerText())
    .to.contain('确认到账')
    .and.to.contain(`资金 ${purpose!}`);
});

/** The amount (万元) written after a label on a record's page. */
function amountAfter(text: string, label: string): number {
  const m = new RegExp(`${label}\\s*([\\d,]+(?:\\.\\d+)?)`).exec(text);
  expect(m, `${label} on the page`).to.not.equal(null);
  return Number(m![1]!.replace(/,/g, ''));
}
