import { expect } from 'chai';
import { journey } from '../../support/journey.ts';

/**
 * Both sides read one pairing: 江苏's office and 陕西's liaison reach 江苏省 → 陕西省 through their
 * own menus and see the same figures; the liaison is offered no change. 贵州's liaison, handed the
 * pairing's address, gets the 404 page, and its list does not hold the pairing.
 */
journey('the partner’s liaison sees the same figures; another region’s liaison gets the 404 page', async (j) => {
  const figures = async (who: Awaited<ReturnType<typeof j.as>>) => {
    await who.nav('结对关系');
    await who.go(who.page.getByRole('link', { name: '江苏省 → 陕西省' }).first());
    expect(await who.page.innerText('h1')).to.contain('江苏省 → 陕西省');
    return who.page.locator('main table').first().innerText();
  };

  const office = await j.as('office.jiangsu');
  const seenByOffice = await figures(office);
  expect(seenByOffice).to.contain('财政援助资金').and.to.contain('帮助就业');
  const address = new URL(office.page.url()).pathname;

  const liaison = await j.as('liaison.shaanxi');
  const seenByLiaison = await figures(liaison);
  expect(seenByLiaison, 'the same figures on both sides').to.equal(seenByOffice);
  // a liaison reads: no edit, no new record, no submission is offered
  const main = liaison.page.locator('main');
  expect(await main.getByRole('link', { name: '编辑' }).count()).to.equal(0);
  expect(await main.getByRole('link', { name: '新增' }).count()).to.equal(0);
  expect(await main.getByRole('link', { name: '报送' }).count()).to.equal(0);
  await liaison.snap('partner-liaison-pairing');

  const outsider = await j.as('liaison.guizhou');
  await outsider.nav('结对关系');
  const ownList = await outsider.text();
  expect(ownList).to.contain('贵州省'); // its own pairings are listed …
  expect(ownList).not.to.contain('江苏省 → 陕西省'); // … and not this one
  expect(await outsider.open(address), `${address} for 贵州`).to.equal(404);
  const refused = await outsider.text();
  expect(refused).to.contain('页面不存在').and.not.to.contain('陕西省');
  await outsider.go(outsider.page.getByRole('link', { name: '返回首页' }));
  expect(new URL(outsider.page.url()).pathname).to.equal('/');
});
