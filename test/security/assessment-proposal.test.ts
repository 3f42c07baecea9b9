import { expect } from 'chai';
import { actorOf, assessmentWorld, auditCount, openAt, round, scoreEverything, session, setStage } from './assessment.support.ts';

/** 2024 at feedback with every judged score given by `eva` (nothing missing, or 江苏's 创新做法 when asked). */
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

/** 江苏's disbursed fiscal funds for 2024, changed behind the assessment's back (a record edit). */
const changeRecord = (db: Awaited<ReturnType<typeof atFeedback>>['db']) =>
  db.$client.prepare('UPDATE funds SET disbursed_fen = disbursed_fen + 5000000, committed_fen = committed_fen + 5000000').run();

describe('publishing freezes what was proposed', () => {
  it('when a record changes between the proposal and the confirmation, then the confirmation is refused, nothing is written and the proposal stays for a fresh look', async () => {
    const { app, db, users } = await atFeedback();
    const eva = await session(app, users.eva);
    const eve = await session(app, users.eve);
    expect((await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) })).status).to.equal(302);
    changeRecord(db);
    const page = await eve.agent.get('/assessment/2024/publish');
    expect(page.text).to.contain('提议发布后评分结果有变动');
    expect(page.text).to.not.contain('name="confirm"');
    const before = { round: round(db), audit: auditCount(db) };
    const confirmed = await eve.post('/assessment/2024/publish', { version: String(before.round.version), confirm: 'yes' });
    expect(confirmed.status).to.equal(409);
    expect(confirmed.text).to.contain('提议发布后评分结果有变动');
    expect(round(db)).to.deep.equal(before.round);
    expect(auditCount(db)).to.equal(before.audit);
  });

  it('when the proposal no longer matches the results, then any assessor may withdraw it, propose afresh, and the other person confirms what was proposed', async () => {
    const { app, db, users } = await atFeedback();
    const eva = await session(app, users.eva);
    const eve = await session(app, users.eve);
    await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) });
    changeRecord(db);
    expect((await eve.agent.get('/assessment/2024/publish')).text).to.contain('action="/assessment/2024/publish/withdraw"');
    expect((await eve.post('/assessment/2024/publish/withdraw', { version: String(round(db).version) })).status).to.equal(302);
    expect(round(db).publish_proposed_by).to.equal(null);
    expect((await eve.post('/assessment/2024/publish/propose', { version: String(round(db).version) })).status).to.equal(302);
    const confirmed = await eva.post('/assessment/2024/publish', { version: String(round(db).version), confirm: 'yes' });
    expect(confirmed.status).to.equal(302);
    expect(round(db).stage).to.equal('published');
  });

  it('when nothing changed since the proposal, then a third assessor may not withdraw someone else’s proposal', async () => {
    const { app, db, users } = await atFeedback();
    const eva = await session(app, users.eva);
    const eve = await session(app, users.eve);
    await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) });
    expect((await eve.agent.get('/assessment/2024/publish')).text).to.not.contain('action="/assessment/2024/publish/withdraw"');
    expect((await eve.post('/assessment/2024/publish/withdraw', { version: String(round(db).version) })).status).to.equal(403);
  });
});

describe('what blocks publication is told in the reader’s language', () => {
  it('when an English reader proposes with a score missing, then the refusal lists the missing score in English', async () => {
    const { app, db, users } = await atFeedback(true);
    const eva = await session(app, users.eva);
    await eva.agent.get('/lang/en');
    const refused = await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) });
    expect(refused.status).to.equal(409);
    expect(refused.text).to.contain('Innovative practice');
    expect(refused.text).to.not.contain('创新做法');
  });
});
