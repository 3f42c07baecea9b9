import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { regions } from '../../db/schema/index.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';

/** The 下级数量 cell of a region's row in a list page. */
const countOf = (html: string, code: string) => {
  const row = new RegExp(`<tr[^>]*>\\s*<td class="code">${code}</td>[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
  return /<td class="num">(\d+)<\/td>\s*<\/tr>/.exec(row)?.[1];
};

describe('the region list counts what lies below', () => {
  it('when an office opens the region list, then each province shows its prefectures (江苏 13, 北京 its districts), and a prefecture its counties (none shows 0 for a region with divisions)', async () => {
    const { app, db } = buildApp();
    const agent = await loginAs(app, await buildUser(db));
    const list = await agent.get('/regions');
    expect(list.status).to.equal(200);
    expect(countOf(list.text, '320000')).to.equal('13'); // 江苏省: 13 prefectures
    expect(countOf(list.text, '610000')).to.equal('10'); // 陕西省: 10 prefectures
    expect(Number(countOf(list.text, '110000'))).to.be.greaterThan(10); // 北京市: its districts, directly below
    const jiangsu = await agent.get('/regions/320000');
    const suzhou = db.select().from(regions).where(eq(regions.parentCode, '320500')).all();
    expect(suzhou.length).to.be.greaterThan(8); // 姑苏区 … 昆山市, 太仓市
    expect(countOf(jiangsu.text, '320500')).to.equal(String(suzhou.length));
  });
});
