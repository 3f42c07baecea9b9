import { expect } from 'chai';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { seedDemo } from '../../server/demo/demo.seed.ts';
import { buildDb, buildUser } from '../support/app.ts';
import { actorOf, assessmentWorld, auditCount, openAt, round, scoreEverything, session, setStage } from './assessment.support.ts';

/** 2024 at feedback with every judged score given by `eva`, except 江苏's 创新做法 when asked. */
async function atFeedback(missingOne = false) {
  const world = await assessmentWorld();
  openAt(world.db, 2024, 'crosscheck');
  scoreEverything(
    world.db,
    2024,
    actorOf(world.users.eva),
    (key, ind) => missingOne && key === 'r.assisting.320000' && ind === 'innovation',
  );
  setStage(world.db, 2024, 'feedback');
  return world;
}

describe('publishing is deliberate', () => {
  it('when a required score is missing, then publishing is refused and the page lists what is missing', async () => {
    const { app, db, users } = await atFeedback(true);
    const eva = await session(app, users.eva);
    const page = await eva.agent.get('/assessment/2024');
    expect(page.text).to.contain('江苏省').and.to.contain('创新做法');
    expect(page.text).to.not.contain('action="/assessment/2024/publish/propose"');
    const v = String(round(db).version);
    const advanced = await eva.post('/assessment/2024/advance', { version: v });
    expect(advanced.status).to.equal(409); // feedback → published only through the two-person path
    const proposed = await eva.post('/assessment/2024/publish/propose', { version: v });
    expect(proposed.status).to.equal(409);
    expect(proposed.text).to.contain('缺少必需的评分').and.to.contain('江苏省：创新做法（未评分）');
    expect(round(db)).to.include({ stage: 'feedback', publish_proposed_by: null, snapshot: null });
  });

  it('when one assessor proposes, then it cannot confirm its own proposal; a second person confirms on a page that names the consequence, and the scorecards freeze', async () => {
    const { app, db, users } = await atFeedback();
    const eva = await session(app, users.eva);
    const eve = await session(app, users.eve);
    const before = auditCount(db);
    expect((await eva.agent.get('/assessment/2024')).text).to.contain('action="/assessment/2024/publish/propose"');
    expect((await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) })).status).to.equal(302);
    expect(round(db).publish_proposed_by).to.equal(users.eva.id);
    expect(auditCount(db)).to.equal(before + 1);

    const own = await eva.agent.get('/assessment/2024/publish');
    expect(own.text).to.not.contain('name="confirm"');
    const selfConfirm = await eva.post('/assessment/2024/publish', { version: String(round(db).version), confirm: 'yes' });
    expect(selfConfirm.status).to.equal(409);
    expect(selfConfirm.text).to.contain('不能确认自己提出的发布提议');
    expect(round(db).stage).to.equal('feedback');

    const confirmPage = await eve.agent.get('/assessment/2024/publish');
    expect(confirmPage.status).to.equal(200);
    expect(confirmPage.text).to.contain('发布后所有评分卡将冻结，不可撤销');
    expect(confirmPage.text).to.match(/type="checkbox"[^>]*name="confirm"/);
    const unticked = await eve.post('/assessment/2024/publish', { version: String(round(db).version) });
    expect(unticked.status).to.equal(422);
    expect(round(db).stage).to.equal('feedback');
    const n = auditCount(db);
    const confirmed = await eve.post('/assessment/2024/publish', { version: String(round(db).version), confirm: 'yes' });
    expect(confirmed.status).to.equal(302);
    expect(auditCount(db)).to.equal(n + 1);
    const published = round(db);
    expect(published.stage).to.equal('published');
    expect(published.snapshot).to.be.a('string').and.to.contain('r.assisting.320000');
    const last = db.$client.prepare('SELECT action, actor_id AS actorId FROM audit_log ORDER BY id DESC').get();
    expect(last).to.deep.equal({ action: 'publish', actorId: users.eve.id });
    // published is not undone
    const back = await eve.post('/assessment/2024/return', { version: String(published.version), reason: '重新评价' });
    expect(back.status).to.equal(409);
  });

  it('when a proposal is withdrawn, or the round is returned from feedback, then the proposal is cleared', async () => {
    const { app, db, users } = await atFeedback();
    const eva = await session(app, users.eva);
    const eve = await session(app, users.eve);
    await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) });
    const notMine = await eve.post('/assessment/2024/publish/withdraw', { version: String(round(db).version) });
    expect(notMine.status).to.equal(403);
    let n = auditCount(db);
    expect((await eva.post('/assessment/2024/publish/withdraw', { version: String(round(db).version) })).status).to.equal(302);
    expect(round(db).publish_proposed_by).to.equal(null);
    expect(auditCount(db)).to.equal(n + 1);

    await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) });
    n = auditCount(db);
    const back = await eve.post('/assessment/2024/return', { version: String(round(db).version), reason: '评分需复核' });
    expect(back.status).to.equal(302);
    expect(round(db)).to.include({ stage: 'comprehensive', publish_proposed_by: null, publish_proposed_at: null });
    expect(auditCount(db)).to.equal(n + 1);
    const confirm = await eve.post('/assessment/2024/publish', { version: String(round(db).version), confirm: 'yes' });
    expect(confirm.status).to.equal(409);
    // and forward again to feedback, single-person
    expect((await eve.post('/assessment/2024/advance', { version: String(round(db).version) })).status).to.equal(302);
    expect(round(db).stage).to.equal('feedback');
  });

  it('when the demo is seeded, then 2021–2023 are published by two different people and 2024 is open', async function () {
    this.timeout(60_000);
    const db = buildDb();
    await seedDemo(db, 'demo-pass-123');
    seedAssessment(db);
    for (const year of [2021, 2022, 2023]) expect(round(db, year).stage).to.equal('published');
    expect(round(db, 2024).stage).to.equal('self');
    const rows = db.$client
      .prepare(
        "SELECT action, actor_id AS actorId FROM audit_log WHERE entity = 'round' AND action IN ('proposePublish', 'publish')",
      )
      .all() as { action: string; actorId: number }[];
    expect(rows).to.have.length(6);
    for (let i = 0; i < rows.length; i += 2) expect(rows[i]!.actorId).to.not.equal(rows[i + 1]!.actorId);
  });

  it('when the demo’s first evaluator is bound to 江苏, then the seed acts as that account and never scores 江苏 with it', async function () {
    this.timeout(60_000);
    const db = buildDb();
    await seedDemo(db, 'demo-pass-123');
    const first = db.$client.prepare("SELECT id FROM users WHERE role = 'evaluator' ORDER BY id").get() as { id: number };
    db.$client.prepare("UPDATE users SET region_code = '320000' WHERE id = ?").run(first.id);
    const national = await buildUser(db, { role: 'evaluator', username: 'evaluator.national' });
    seedAssessment(db);
    const own = db.$client
      .prepare(
        `SELECT count(*) AS n FROM assessment_inputs WHERE user_id = ? AND kind = 'judged' AND (object_key LIKE 'r.%.32%'
           OR (object_key LIKE 'p.%' AND CAST(substr(object_key, 3) AS INTEGER) IN
             (SELECT id FROM pairings WHERE assisting_code LIKE '32%' OR assisted_code LIKE '32%')))`,
      )
      .get(first.id) as { n: number };
    expect(own.n).to.equal(0);
    const byNational = db.$client
      .prepare("SELECT count(*) AS n FROM assessment_inputs WHERE user_id = ? AND kind = 'judged'")
      .get(national.id) as { n: number };
    expect(byNational.n).to.be.greaterThan(0);
    for (const year of [2021, 2022, 2023]) expect(round(db, year).stage).to.equal('published');
  });
});
