import { expect } from 'chai';
import { openRound } from '../../server/assessment/assessment.rounds.ts';
import { createFramework } from '../../server/assessment/assessment.service.ts';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { updateRecord } from '../../server/records/records.service.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/** 江苏's row of the league table: its total and percent as shown. */
const jiangsuRow = (html: string) => /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*江苏省(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(html)?.[0] ?? '';

/** The scorecard's row of fiscal funds (its figures and score), as shown. */
const fiscalRow = (html: string) => /<tr[^>]*data-indicator="funds.fiscal"[^>]*>[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';

describe('the league table kept between views', () => {
  it('when a record is edited between two views, then the second view of the league table shows the new score', async () => {
    const { app, db } = buildApp();
    const { county } = buildJiangsuShaanxi(db);
    const fund = buildRecord(db, 'funds', county.id, { committedFen: 4_000_000_00, disbursedFen: 4_000_000_00 });
    saveAgreement(db, SYSTEM, county.id, 2024, { version: 0, fiscalFundsFen: 5_000_000_00 });
    const evaluator = await buildUser(db, { role: 'evaluator', username: 'eva' });
    createFramework(db, SYSTEM, 2024, [evaluator.id]);
    openRound(db, SYSTEM, 2024);
    const agent = await loginAs(app, evaluator);
    const before = jiangsuRow((await agent.get('/assessment/2024')).text);
    expect(jiangsuRow((await agent.get('/assessment/2024')).text)).to.equal(before);
    const card = '/assessment/2024/scorecards/r.assisting.320000';
    expect(fiscalRow((await agent.get(card)).text)).to.contain('12.00 / 15.00');
    updateRecord(db, SYSTEM, 'funds', fund.id, {
      year: 2024,
      date: '2024-03-01',
      kind: 'fiscal',
      form: 'money',
      committedFen: 5_000_000_00,
      disbursedFen: 5_000_000_00,
      disbursedOn: '2024-03-02',
      purpose: '产业发展',
      version: 1,
    } as never);
    const after = jiangsuRow((await agent.get('/assessment/2024')).text);
    expect(before).to.contain('22.00 / 100.00'); // fiscal funds at 4/5 of the target: 12 of 15 points
    expect(after).to.contain('25.00 / 100.00'); // at the target: 15 of 15
    // the scorecard's kept rows follow, in each language
    expect(fiscalRow((await agent.get(card)).text)).to.contain('15.00 / 15.00');
    await agent.get('/lang/en');
    const english = (await agent.get(card)).text;
    expect(fiscalRow(english))
      .to.contain('15.00 / 15.00')
      .and.to.not.match(/[\u4e00-\u9fff]/);
  });
});
