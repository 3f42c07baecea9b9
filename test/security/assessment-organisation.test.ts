import { expect } from 'chai';
import { getFramework } from '../../server/assessment/assessment.service.ts';
import { actorOf, assessmentWorld, openAt, round, session } from './assessment.support.ts';
import type { Db } from '../../db/client.ts';

const docOf = (db: Db) => getFramework(db, 2024).doc;
const versionOf = (db: Db) => getFramework(db, 2024).version;

/** The framework document with one change to its organisation. */
function withMember(db: Db, team: number, userId: number) {
  const doc = docOf(db);
  doc.organisation.teams[team]!.evaluators.push(userId);
  return JSON.stringify(doc);
}

describe('assessment roles are given, never taken', () => {
  it('when an evaluator adds itself to a team in the framework editor, then it is refused, nothing changes and it still sees nothing', async () => {
    const { app, db, users } = await assessmentWorld();
    openAt(db, 2024, 'crosscheck');
    const before = JSON.stringify(docOf(db));
    for (const who of [users.evaJs, users.eve]) {
      const { post } = await session(app, who);
      const res = await post('/assessment/2024/framework', { doc: withMember(db, 0, who.id), version: String(versionOf(db)) });
      expect(res.status, who.username).to.equal(422);
      expect(res.text).to.contain('只能由管理员或本轮负责人设置');
    }
    expect(JSON.stringify(docOf(db))).to.equal(before);
    const { agent } = await session(app, users.evaJs);
    expect((await agent.get('/assessment/2024/scorecards/r.assisting.440000')).status).to.equal(404);
  });

  it('when an evaluator saves the framework with the organisation untouched, then the rest of the change is kept', async () => {
    const { app, db, users } = await assessmentWorld();
    const { post } = await session(app, users.eve);
    const doc = docOf(db);
    doc.goals.purpose = '本年度突出产业协作。';
    const res = await post('/assessment/2024/framework', { doc: JSON.stringify(doc), version: '1' });
    expect(res.status).to.equal(302);
    expect(docOf(db).goals.purpose).to.equal('本年度突出产业协作。');
  });

  it('when an admin puts a member bound to 江苏 into the team that assesses 江苏, then the framework is refused', async () => {
    const { app, db, users } = await assessmentWorld();
    const { post } = await session(app, users.admin);
    // team 1 (广东考核组) assesses 江苏, 陕西 and 青海
    const res = await post('/assessment/2024/framework', { doc: withMember(db, 1, users.evaJs.id), version: '1' });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('不能考核本地区');
    // the same member in the team that does not assess 江苏 is fine
    const ok = await post('/assessment/2024/framework', { doc: withMember(db, 0, users.evaJs.id), version: '1' });
    expect(ok.status).to.equal(302);
    expect(docOf(db).organisation.teams[0]!.evaluators).to.include(users.evaJs.id);
  });

  it('when an old framework puts an evaluator in a team assessing its own region, then it can neither see nor score that object', async () => {
    const { app, db, users } = await assessmentWorld();
    const doc = docOf(db);
    doc.organisation.teams[1]!.evaluators.push(users.evaJs.id); // written before the rule existed
    db.$client.prepare('UPDATE assessment_frameworks SET doc = ? WHERE year = 2024').run(JSON.stringify(doc));
    openAt(db, 2024, 'crosscheck');
    const { agent, post } = await session(app, users.evaJs);
    expect((await agent.get('/assessment/2024/scorecards/r.assisting.320000')).status).to.equal(404);
    expect((await agent.get('/assessment/2024/scorecards/r.assisted.610000')).status).to.equal(200); // its team's other objects
    const judged = await post('/assessment/2024/inputs', {
      kind: 'judged',
      objectKey: 'r.assisting.320000',
      indicatorKey: 'innovation',
      score: '5',
      text: '自己考核自己',
    });
    expect(judged.status).to.equal(404); // an object it may not see answers like a missing one
    expect(db.$client.prepare("SELECT count(*) AS n FROM assessment_inputs WHERE kind = 'judged'").get()).to.deep.equal({ n: 0 });
  });

  it('when last year’s teams hold a member bound to an assigned object’s region, then copying the year leaves that member out', async () => {
    const { app, db, users } = await assessmentWorld();
    const doc = docOf(db);
    doc.organisation.teams[1]!.evaluators.push(users.evaJs.id);
    doc.organisation.teams[1]!.lead = users.evaJs.id;
    db.$client.prepare('INSERT INTO assessment_frameworks (year, doc) VALUES (2025, ?)').run(JSON.stringify(doc));
    const { post } = await session(app, users.admin);
    expect((await post('/assessment/frameworks', { year: '2026' })).status).to.equal(302);
    const copied = getFramework(db, 2026).doc.organisation.teams[1]!;
    expect(copied.evaluators).to.deep.equal([users.eva.id, users.eve.id]);
    expect(copied.lead).to.equal(null);
  });

  it('when an admin names an evaluator the round’s owner, then that owner sets the teams, audited, and other evaluators still cannot', async () => {
    const { app, db, users } = await assessmentWorld();
    openAt(db, 2024, 'self');
    const admin = await session(app, users.admin);
    const page = await admin.agent.get('/assessment/2024');
    expect(page.text).to.contain('action="/assessment/2024/owner"');
    const named = await admin.post('/assessment/2024/owner', {
      ownerId: String(users.eve.id),
      version: String(round(db).version),
    });
    expect(named.status).to.equal(302);
    expect(round(db).owner_id).to.equal(users.eve.id);
    const audit = db.$client.prepare("SELECT action, after FROM audit_log WHERE entity = 'round' ORDER BY id DESC").get() as {
      action: string;
      after: string;
    };
    expect(audit.action).to.equal('owner');
    // a staff user cannot be named owner
    const bad = await admin.post('/assessment/2024/owner', {
      ownerId: String(users.office.id),
      version: String(round(db).version),
    });
    expect(bad.status).to.equal(422);

    const owner = await session(app, users.eve);
    const doc = docOf(db);
    doc.organisation.teams[0]!.evaluators = [users.eve.id, users.evaJs.id];
    const saved = await owner.post('/assessment/2024/framework', { doc: JSON.stringify(doc), version: '1' });
    expect(saved.status).to.equal(302);
    expect(docOf(db).organisation.teams[0]!.evaluators).to.deep.equal([users.eve.id, users.evaJs.id]);
    const other = await session(app, users.eva);
    const refused = await other.post('/assessment/2024/framework', { doc: withMember(db, 1, users.eva.id), version: '2' });
    expect(refused.status).to.equal(422);
    expect(actorOf(users.evaJs).scope).to.equal('32');
  });
});
