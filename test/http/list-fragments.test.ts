import { expect } from 'chai';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { formFor } from '../support/forms.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/**
 * A record list's rows are rendered once and kept for everyone reading the same page (issue 9).
 * What a reader sees must still be theirs: their language, their money unit, their scope, and the
 * data as it is now.
 */
const FIXED = () => new Date('2024-06-15T08:00:00Z');

/** The rows of the record list as text, one string per row. */
function rowsOf(html: string): string[] {
  const body = /<table class="list records[^"]*">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describe('record lists, rows kept', () => {
  it('when 江苏 reads its transfers in 万元, then in 元, then in English, and edits one, then each view shows its own unit, language and the edit; 广东 never sees 江苏’s rows', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const js = buildJiangsuShaanxi(db);
    const gg = buildGuangdongGuizhou(db);
    const fund = buildRecord(db, 'funds', js.county.id, { committedFen: 1_234_500_000, purpose: '产业发展' });
    buildRecord(db, 'funds', gg.county.id, { committedFen: 777_700_000, purpose: '广东的资金' });
    const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' }));
    const guangdong = await loginAs(
      app,
      await buildUser(db, { username: 'office.guangdong', role: 'staff', regionCode: '440000' }),
    );

    const inWan = rowsOf((await jiangsu.get('/records/funds')).text);
    expect(inWan).to.have.length(1);
    expect(inWan[0]).to.contain('1,234.50').and.to.contain('产业发展').and.to.contain('待确认');

    await jiangsu.get('/unit/yuan');
    expect(rowsOf((await jiangsu.get('/records/funds')).text)[0]).to.contain('12,345,000.00');

    await jiangsu.get('/lang/en');
    const inEnglish = rowsOf((await jiangsu.get('/records/funds')).text)[0]!;
    expect(inEnglish).to.contain('12,345,000.00').and.to.not.contain('待确认');

    // another province's office reads its own rows, not the kept ones of 江苏
    const theirs = rowsOf((await guangdong.get('/records/funds')).text);
    expect(theirs).to.have.length(1);
    expect(theirs[0]).to.contain('广东的资金').and.to.not.contain('产业发展');

    await jiangsu.get('/lang/zh-CN');
    const edit = formFor((await jiangsu.get(`/records/funds/${fund.id}/edit`)).text, `/records/funds/${fund.id}`)!;
    expect(
      (
        await jiangsu
          .post(`/records/funds/${fund.id}`)
          .type('form')
          .send({ ...edit.fields, purpose: '教育帮扶' })
      ).status,
    ).to.equal(302);
    const after = rowsOf((await jiangsu.get('/records/funds')).text)[0]!;
    expect(after).to.contain('教育帮扶').and.to.contain('12,345,000.00');
  });
});
