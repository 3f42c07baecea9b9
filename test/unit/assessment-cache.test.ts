import { expect } from 'chai';
import type { Db } from '../../db/client.ts';
import { computationsOf } from '../../server/assessment/assessment.cache.ts';
import { confirmPublish, proposePublish } from '../../server/assessment/assessment.publish.ts';
import { advanceRound, openRound, submitInput } from '../../server/assessment/assessment.rounds.ts';
import { createFramework, getFramework, scorecard, yearResults } from '../../server/assessment/assessment.service.ts';
import { editFramework } from '../../server/assessment/assessment.editor.service.ts';
import { updateIndicator } from '../../server/assessment/assessment.editor.ts';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { updateRecord } from '../../server/records/records.service.ts';
import { buildDb, buildUser } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/**
 * A year's scorecards are computed once per data version and kept: each kind of change the
 * results depend on (records, inputs, framework, round) is seen on the next view, and views
 * without a change compute nothing. Computations are counted, not timed.
 */
async function world() {
  const db = buildDb();
  const { county } = buildJiangsuShaanxi(db);
  const evaluator = await buildUser(db, { role: 'evaluator', username: 'eva' });
  const second = await buildUser(db, { role: 'evaluator', username: 'eve' });
  const fund = buildRecord(db, 'funds', county.id, { committedFen: 4_000_000_00, disbursedFen: 4_000_000_00 });
  buildRecord(db, 'labour', county.id, { people: 150, formerlyPoor: 50 });
  saveAgreement(db, SYSTEM, county.id, 2024, { version: 0, jobs: 200, fiscalFundsFen: 5_000_000_00 });
  createFramework(db, SYSTEM, 2024, [evaluator.id, second.id]);
  openRound(db, SYSTEM, 2024);
  const actors = {
    evaluator: { id: evaluator.id, role: 'evaluator', scope: null } as Actor,
    second: { id: second.id, role: 'evaluator', scope: null } as Actor,
  };
  return { db, county, fund, actors };
}

const JIANGSU = 'r.assisting.320000';
const jiangsu = (db: Db, actor: Actor) =>
  yearResults(db, actor, 2024)
    .groups.flatMap((g) => g.objects)
    .find((o) => o.key === JIANGSU)!;
const indicator = (db: Db, actor: Actor, key: string) => jiangsu(db, actor).indicators.find((i) => i.key === key)!;

describe('the assessment results kept per data version', () => {
  it('when the league table and a scorecard are viewed twice with no change between, then the year is computed once', async () => {
    const { db, actors } = await world();
    const before = computationsOf(db);
    const first = jiangsu(db, actors.evaluator);
    const again = jiangsu(db, actors.evaluator);
    scorecard(db, actors.evaluator, 2024, JIANGSU);
    expect(computationsOf(db) - before).to.equal(1);
    expect(again).to.equal(first); // the very same kept object
  });

  it('when a record is edited through its service, then the next view of the league table shows it', async () => {
    const { db, fund, actors } = await world();
    const before = indicator(db, actors.evaluator, 'funds.fiscal').value;
    updateRecord(db, SYSTEM, 'funds', fund.id, {
      year: 2024,
      date: '2024-03-01',
      kind: 'fiscal',
      form: 'money',
      committedFen: 6_000_000_00,
      disbursedFen: 6_000_000_00,
      disbursedOn: '2024-03-02',
      purpose: '产业发展',
      version: 1,
    } as never);
    expect(before).to.equal(4_000_000_00);
    expect(indicator(db, actors.evaluator, 'funds.fiscal').value).to.equal(6_000_000_00);
  });

  it('when a record is inserted by raw SQL (as the seeds do), then the next view shows it', async () => {
    const { db, county, actors } = await world();
    expect(indicator(db, actors.evaluator, 'labour.jobs').value).to.equal(150);
    db.$client
      .prepare(
        "INSERT INTO labour (pairing_id, year, date, period_start, period_end, destination, people) VALUES (?, 2024, '2024-09-30', '2024-07-01', '2024-09-30', 'local', 25)",
      )
      .run(county.id);
    expect(indicator(db, actors.evaluator, 'labour.jobs').value).to.equal(175);
  });

  it('when a record of last year is added, then this year’s comparison with last year shows it', async () => {
    const { db, county, actors } = await world();
    expect(indicator(db, actors.evaluator, 'funds.fiscal.notBelow').previous).to.equal(0);
    buildRecord(db, 'funds', county.id, {
      year: 2023,
      date: '2023-03-01',
      disbursedOn: '2023-03-02',
      committedFen: 7_00,
      disbursedFen: 7_00,
    });
    expect(indicator(db, actors.evaluator, 'funds.fiscal.notBelow').previous).to.equal(7_00);
  });

  it('when the agreement’s target changes, then the next view scores against it', async () => {
    const { db, county, actors } = await world();
    expect(indicator(db, actors.evaluator, 'labour.jobs').target).to.equal(200);
    saveAgreement(db, SYSTEM, county.id, 2024, { version: 1, jobs: 300, fiscalFundsFen: 5_000_000_00 });
    expect(indicator(db, actors.evaluator, 'labour.jobs').target).to.equal(300);
  });

  it('when an evaluator judges an indicator, then the next view scores it', async () => {
    const { db, actors } = await world();
    advanceRound(db, actors.evaluator, 2024, 1); // → cross-check
    expect(indicator(db, actors.evaluator, 'org.leadership').score).to.equal(null);
    submitInput(db, actors.evaluator, 2024, {
      kind: 'judged',
      objectKey: JIANGSU,
      indicatorKey: 'org.leadership',
      score: 8,
      text: '组织有力',
    });
    expect(indicator(db, actors.evaluator, 'org.leadership').score).to.equal(800); // hundredths
  });

  it('when the framework is re-weighted, then the next view scores with the new points', async () => {
    const { db, actors } = await world();
    const { doc, version } = getFramework(db, 2024);
    expect(jiangsu(db, actors.evaluator).max).to.equal(10_000);
    const fiscal = doc.content.indicators.find((i) => i.key === 'funds.fiscal')!;
    editFramework(db, SYSTEM, 2024, version, (d) =>
      updateIndicator(d, 'funds.fiscal', {
        zh: fiscal.name.zh,
        area: fiscal.area,
        points: fiscal.points + 5,
        side: fiscal.side,
        scoring: 'ratio_to_target',
        measure: 'fiscalFunds',
        bands: [],
      }),
    );
    expect(jiangsu(db, actors.evaluator).max).to.equal(10_500);
  });

  it('when the round moves a stage, then the kept year is computed afresh, and once published the live difference follows the records', async () => {
    const { db, fund, actors } = await world();
    jiangsu(db, actors.evaluator);
    const before = computationsOf(db);
    advanceRound(db, actors.evaluator, 2024, 1); // → cross-check
    jiangsu(db, actors.evaluator);
    expect(computationsOf(db) - before).to.equal(1);

    const { doc } = getFramework(db, 2024);
    for (const objectKey of new Set(doc.organisation.teams.flatMap((t) => t.assigned)))
      for (const ind of doc.content.indicators.filter((i) => i.rule.type === 'judged'))
        submitInput(db, actors.evaluator, 2024, { kind: 'judged', objectKey, indicatorKey: ind.key, score: 2, text: '核查意见' });
    advanceRound(db, actors.evaluator, 2024, 2); // → comprehensive
    advanceRound(db, actors.evaluator, 2024, 3); // → feedback
    proposePublish(db, actors.evaluator, 2024, 4);
    confirmPublish(db, actors.second, 2024, 5, true);
    const published = yearResults(db, actors.evaluator, 2024);
    expect(published.round?.stage).to.equal('published');
    expect(published.liveDiffers).to.equal(false);
    expect(yearResults(db, actors.evaluator, 2024).liveDiffers).to.equal(false);
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
    expect(yearResults(db, actors.evaluator, 2024).liveDiffers).to.equal(true);
  });

  it('when the year is computed inside a transaction, then it is not kept (its counters may yet roll back)', async () => {
    const { db, actors } = await world();
    jiangsu(db, actors.evaluator);
    const before = computationsOf(db);
    db.transaction(() => jiangsu(db, actors.evaluator));
    jiangsu(db, actors.evaluator);
    expect(computationsOf(db) - before).to.equal(1);
  });
});
