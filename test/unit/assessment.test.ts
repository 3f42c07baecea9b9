import { expect } from 'chai';
import { scoreEverything } from '../security/assessment.support.ts';
import type { Db } from '../../db/client.ts';
import { yearBasis } from '../../server/assessment/assessment.basis.ts';
import { confirmPublish, proposePublish } from '../../server/assessment/assessment.publish.ts';
import { advanceRound, openRound, returnRound, submitInput } from '../../server/assessment/assessment.rounds.ts';
import {
  computeYear,
  createFramework,
  getFramework,
  saveFramework,
  yearResults,
} from '../../server/assessment/assessment.service.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../../server/lib/errors.ts';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { updateRecord } from '../../server/records/records.service.ts';
import { buildDb, buildUser } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/** 江苏 → 陕西 with 2023 and 2024 records and agreements, and a 2024 framework assessed by one evaluator team. */
async function assessedWorld() {
  const db = buildDb();
  const { county } = buildJiangsuShaanxi(db);
  const evaluator = await buildUser(db, { role: 'evaluator', username: 'eva' });
  const second = await buildUser(db, { role: 'evaluator', username: 'eve' });
  const staff = await buildUser(db, { role: 'staff', regionCode: '320000', username: 'js' });
  const liaison = await buildUser(db, { role: 'liaison', regionCode: '610000', username: 'sx' });
  const admin = await buildUser(db, { role: 'admin', username: 'root' });
  buildRecord(db, 'labour', county.id, {
    year: 2023,
    date: '2023-06-30',
    periodStart: '2023-01-01',
    periodEnd: '2023-06-30',
    people: 100,
    formerlyPoor: 50,
  });
  buildRecord(db, 'labour', county.id, { people: 150, formerlyPoor: 50 });
  const fund = buildRecord(db, 'funds', county.id, { committedFen: 4_000_000_00, disbursedFen: 4_000_000_00 });
  saveAgreement(db, SYSTEM, county.id, 2024, { version: 0, jobs: 200, fiscalFundsFen: 5_000_000_00 });
  createFramework(db, SYSTEM, 2023, [evaluator.id, second.id]);
  createFramework(db, SYSTEM, 2024, [evaluator.id, second.id]);
  const actors = {
    evaluator: { id: evaluator.id, role: 'evaluator', scope: null } as Actor,
    second: { id: second.id, role: 'evaluator', scope: null } as Actor,
    staff: { id: staff.id, role: 'staff', scope: '32' } as Actor,
    liaison: { id: liaison.id, role: 'liaison', scope: '61' } as Actor,
    admin: { id: admin.id, role: 'admin', scope: null } as Actor,
  };
  return { db, county, fund, actors };
}

/** Every judged indicator of every object scored (nothing required missing), then on to feedback and published by two people. */
function publish(db: Db, year: number, actors: { evaluator: Actor; second: Actor }) {
  let v = 1;
  advanceRound(db, actors.evaluator, year, v++); // → cross-check
  const { doc } = getFramework(db, year);
  const judged = doc.content.indicators.filter((i) => i.rule.type === 'judged');
  for (const objectKey of new Set(doc.organisation.teams.flatMap((t) => t.assigned)))
    for (const ind of judged)
      submitInput(db, actors.evaluator, year, { kind: 'judged', objectKey, indicatorKey: ind.key, score: 2, text: '核查意见' });
  advanceRound(db, actors.evaluator, year, v++); // → comprehensive
  advanceRound(db, actors.evaluator, year, v++); // → feedback
  proposePublish(db, actors.evaluator, year, v++);
  expect(() => confirmPublish(db, actors.evaluator, year, v, true)).to.throw(ConflictError, 'assessment.ownProposal');
  confirmPublish(db, actors.second, year, v++, true);
  return v;
}

function jiangsu(db: Db, year = 2024) {
  return computeYear(db, year)
    .groups.find((g) => g.key === 'east')!
    .objects.find((o) => o.key === 'r.assisting.320000')!;
}

describe('the assessment of a year', () => {
  it('when 江苏 is scored, then each computed indicator follows its rule on the rolled-up records', async () => {
    const { db } = await assessedWorld();
    const js = jiangsu(db);
    const ind = (key: string) => js.indicators.find((i) => i.key === key)!;
    expect(ind('labour.jobs')).to.include({ value: 150, target: 200, score: 750, why: 'why.ratio', percentOfTarget: 75 }); // 10 × 150/200
    expect(ind('funds.fiscal')).to.include({ value: 4_000_000_00, target: 5_000_000_00, score: 1200 }); // 15 × 0.8
    expect(ind('funds.fiscal.notBelow')).to.include({ previous: 0, score: 1000, why: 'why.notBelow' }); // previous year of zero
    expect(ind('consumption.purchases')).to.include({ value: 0, target: null, score: 0, why: 'why.noTarget' });
    expect(ind('org.leadership')).to.include({ score: null, why: 'why.pending' });
    expect(js.max).to.equal(10_000);
    expect(js.total).to.equal(js.indicators.reduce((n, i) => n + (i.score ?? 0), 0));
  });

  it('when the round moves, then illegal moves are refused, a return needs a reason, and the self-assessment’s author cannot accept it', async () => {
    const { db, actors } = await assessedWorld();
    const round = openRound(db, actors.evaluator, 2024);
    expect(() => openRound(db, actors.evaluator, 2024)).to.throw(ConflictError);
    expect(() => advanceRound(db, actors.staff, 2024, round.version)).to.throw(ForbiddenError);
    expect(() => returnRound(db, actors.evaluator, 2024, 'x', round.version)).to.throw(ConflictError); // nothing before self
    expect(yearBasis(db, 2024).selfAuthors.size).to.equal(0); // kept: the input below must replace it
    submitInput(db, actors.admin, 2024, {
      kind: 'self',
      objectKey: 'r.assisting.320000',
      indicatorKey: '',
      text: '全年协议目标基本完成。',
    });
    expect(() =>
      submitInput(db, actors.staff, 2024, {
        kind: 'judged',
        objectKey: 'r.assisting.320000',
        indicatorKey: 'innovation',
        score: 3,
        text: '自评',
      }),
    ).to.throw(ConflictError); // wrong stage
    expect(() => advanceRound(db, actors.admin, 2024, round.version)).to.throw(ConflictError, 'assessment.selfApproval'); // wrote the self-assessment
    expect(advanceRound(db, actors.evaluator, 2024, round.version)).to.equal('crosscheck');
    expect(() => advanceRound(db, actors.evaluator, 2024, round.version)).to.throw(ConflictError); // stale version
    expect(() => returnRound(db, actors.evaluator, 2024, '', round.version + 1)).to.throw(ValidationError);
    expect(returnRound(db, actors.evaluator, 2024, '自评材料不全', round.version + 1)).to.equal('self');
    const audit = db.$client.prepare("SELECT action, after FROM audit_log WHERE entity = 'round' ORDER BY id").all() as {
      action: string;
      after: string;
    }[];
    expect(audit.map((a) => a.action)).to.deep.equal(['create', 'advance', 'return']);
    expect(audit[2]!.after).to.contain('自评材料不全');
  });

  it('when a required judged score is missing, then the round does not move on to feedback (the sides would read an unfinished scorecard)', async () => {
    const { db, actors } = await assessedWorld();
    openRound(db, actors.evaluator, 2024);
    advanceRound(db, actors.evaluator, 2024, 1);
    scoreEverything(db, 2024, actors.admin, (key, ind) => key === 'r.assisted.610000' && ind === 'innovation');
    advanceRound(db, actors.evaluator, 2024, 2); // → comprehensive
    expect(() => advanceRound(db, actors.second, 2024, 3)).to.throw(ConflictError, 'assessment.missingScores');
    submitInput(db, actors.admin, 2024, {
      kind: 'na',
      objectKey: 'r.assisted.610000',
      indicatorKey: 'innovation',
      text: '本年度不考核',
    });
    expect(advanceRound(db, actors.second, 2024, 3)).to.equal('feedback');
  });

  it('when evaluators disagree beyond the tolerance, then the spread is flagged, blocks feedback, and a lead who did not score it moderates', async () => {
    const { db, actors } = await assessedWorld();
    openRound(db, actors.evaluator, 2024);
    advanceRound(db, actors.evaluator, 2024, 1);
    const judge = (a: Actor, score: number) =>
      submitInput(db, a, 2024, {
        kind: 'judged',
        objectKey: 'r.assisting.320000',
        indicatorKey: 'org.leadership',
        score,
        text: '现场核查意见',
      });
    expect(() => judge(actors.evaluator, 11)).to.throw(ValidationError); // above the points
    expect(() =>
      submitInput(db, actors.evaluator, 2024, {
        kind: 'judged',
        objectKey: 'r.assisting.320000',
        indicatorKey: 'org.leadership',
        score: 5,
        text: '',
      }),
    ).to.throw(ValidationError); // comment required
    judge(actors.evaluator, 9);
    judge(actors.second, 5);
    // every other required score given: only the spread stands between comprehensive and feedback
    scoreEverything(db, 2024, actors.evaluator, (key, ind) => key === 'r.assisting.320000' && ind === 'org.leadership');
    const ind = jiangsu(db).indicators.find((i) => i.key === 'org.leadership')!;
    expect(ind).to.deep.include({ score: 700, judged: { count: 2, spread: 400, flagged: true, moderated: false } });
    advanceRound(db, actors.evaluator, 2024, 2); // → comprehensive
    expect(() => advanceRound(db, actors.second, 2024, 3)).to.throw(ConflictError, 'assessment.unresolvedFlags');
    expect(() =>
      submitInput(db, actors.evaluator, 2024, {
        kind: 'moderated',
        objectKey: 'r.assisting.320000',
        indicatorKey: 'org.leadership',
        score: 8,
        text: '审定',
      }),
    ).to.throw(ConflictError); // scored it
    submitInput(db, actors.admin, 2024, {
      kind: 'moderated',
      objectKey: 'r.assisting.320000',
      indicatorKey: 'org.leadership',
      score: 8,
      text: '审定',
    });
    expect(jiangsu(db).indicators.find((i) => i.key === 'org.leadership')).to.include({ score: 800, why: 'why.moderated' });
    expect(advanceRound(db, actors.second, 2024, 3)).to.equal('feedback');
  });

  it('when an indicator is not applicable or a veto is flagged, then the maximum shrinks and the grade is capped', async () => {
    const { db, actors } = await assessedWorld();
    openRound(db, actors.evaluator, 2024);
    advanceRound(db, actors.evaluator, 2024, 1);
    const before = jiangsu(db);
    submitInput(db, actors.evaluator, 2024, {
      kind: 'na',
      objectKey: 'r.assisting.320000',
      indicatorKey: 'consumption.purchases',
      text: '本年未签消费帮扶目标',
    });
    const after = jiangsu(db);
    expect(after.max).to.equal(before.max - 1000);
    expect(after.percent).to.be.greaterThan(before.percent);
    advanceRound(db, actors.evaluator, 2024, 2);
    submitInput(db, actors.admin, 2024, {
      kind: 'veto',
      objectKey: 'r.assisting.320000',
      indicatorKey: 'veto.misuse',
      text: '审计发现挪用',
    });
    expect(jiangsu(db)).to.deep.include({ grade: 'poor' });
    expect(jiangsu(db).vetoes[0]).to.include({ key: 'veto.misuse', reason: '审计发现挪用' });
  });

  it('when a round is published, then its scorecards are frozen: a later record edit changes nothing but the "live differs" notice', async () => {
    const { db, fund, actors } = await assessedWorld();
    openRound(db, actors.evaluator, 2024);
    const version = publish(db, 2024, actors);
    const published = yearResults(db, actors.evaluator, 2024);
    const frozen = published.groups[0]!.objects.find((o) => o.key === 'r.assisting.320000')!;
    expect(published.liveDiffers).to.equal(false);
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
    const later = yearResults(db, actors.evaluator, 2024);
    expect(later.groups[0]!.objects.find((o) => o.key === 'r.assisting.320000')).to.deep.equal(frozen);
    expect(later.liveDiffers).to.equal(true);
    expect(jiangsu(db).total).to.be.greaterThan(frozen.total); // the live computation did move
    expect(() => saveFramework(db, actors.evaluator, 2024, JSON.stringify(getFramework(db, 2024).doc), 1)).to.throw(
      ConflictError,
    );
    expect(() => advanceRound(db, actors.evaluator, 2024, version)).to.throw(ConflictError, 'assessment.alreadyPublished');
    expect(() => returnRound(db, actors.evaluator, 2024, '重新评价', version)).to.throw(ConflictError, 'assessment.cannotReturn');
  });

  it('when people look, then an evaluator sees its team’s objects, and a liaison sees its own region and its paired side’s only once feedback starts', async () => {
    const { db, actors } = await assessedWorld();
    const doc = getFramework(db, 2024).doc;
    doc.organisation.teams = [{ ...doc.organisation.teams[0]!, evaluators: [actors.second.id] }]; // 江苏's team: everything but 江苏, 陕西, 青海
    saveFramework(db, SYSTEM, 2024, JSON.stringify(doc), 1);
    const seen = yearResults(db, actors.second, 2024).groups.flatMap((g) => g.objects.map((o) => o.key));
    expect(seen).to.not.include('r.assisting.320000');
    expect(seen).to.include('r.assisting.440000');
    expect(yearResults(db, actors.liaison, 2024).groups).to.have.length(0);
    openRound(db, SYSTEM, 2024);
    advanceRound(db, actors.evaluator, 2024, 1);
    scoreEverything(db, 2024, actors.admin); // the objects left without a team too
    for (let v = 2; v <= 3; v++) advanceRound(db, actors.evaluator, 2024, v);
    const mine = yearResults(db, actors.liaison, 2024).groups.flatMap((g) => g.objects.map((o) => o.key));
    // 陕西's own scorecard, and that of 江苏, the province it is paired with (whose opinion it gives); no other
    expect(mine.sort()).to.deep.equal(['r.assisted.610000', 'r.assisting.320000']);
  });

  it('when a team is assigned its own province, or the document is broken, then the framework is refused', async () => {
    const { db } = await assessedWorld();
    const doc = getFramework(db, 2024).doc;
    doc.organisation.teams[0]!.assigned.push('r.assisting.320000');
    expect(() => saveFramework(db, SYSTEM, 2024, JSON.stringify(doc), 1)).to.throw(ValidationError);
    expect(() => saveFramework(db, SYSTEM, 2024, '{"goals": 1', 1)).to.throw(ValidationError);
    expect(() => saveFramework(db, SYSTEM, 2024, '{"goals": {}}', 1)).to.throw(ValidationError);
  });

  it('when last year was published, then ranks and scores move against it', async () => {
    const { db, actors } = await assessedWorld();
    openRound(db, SYSTEM, 2023);
    publish(db, 2023, actors);
    const js = jiangsu(db);
    expect(js.previous).to.not.equal(null);
    expect(js.rankMove).to.be.oneOf(['up', 'down', 'same']);
    expect(js.scoreMove).to.equal(js.percent > js.previous!.percent ? 'up' : js.percent < js.previous!.percent ? 'down' : 'same');
  });
});
