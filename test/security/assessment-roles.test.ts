import { expect } from 'chai';
import { getFramework } from '../../server/assessment/assessment.service.ts';
import { buildUser, csrfOf } from '../support/app.ts';
import { assessmentWorld, auditCount, openAt, round, scoreEverything, actorOf, session, setStage } from './assessment.support.ts';

const MOVES = [
  'action="/assessment/2024/round"',
  'action="/assessment/2024/advance"',
  'action="/assessment/2024/return"',
  'action="/assessment/2024/publish/propose"',
];

describe('assessment roles: who moves a round, who starts a year', () => {
  it('when an evaluator in none of the year’s teams (bound to 江苏, or national) moves the round, then every move is refused, nothing changes and no button is shown', async () => {
    const { app, db, users } = await assessmentWorld();
    const outsider = await buildUser(db, { role: 'evaluator', username: 'eva.free' });
    for (const who of [users.evaJs, outsider]) {
      const s = await session(app, who);
      // opening the round
      expect((await s.post('/assessment/2024/round', {})).status, who.username).to.equal(403);
      expect(round(db)).to.equal(undefined);
    }
    openAt(db, 2024, 'self');
    for (const who of [users.evaJs, outsider]) {
      const s = await session(app, who);
      const before = auditCount(db);
      const v = String(round(db).version);
      // 江苏's own self-assessment stage cannot be closed by an evaluator bound to 江苏
      expect((await s.post('/assessment/2024/advance', { version: v })).status, who.username).to.equal(403);
      setStage(db, 2024, 'crosscheck');
      const w = String(round(db).version);
      expect((await s.post('/assessment/2024/return', { version: w, reason: '材料需要补充' })).status).to.equal(403);
      expect(round(db).stage).to.equal('crosscheck');
      const page = await s.agent.get('/assessment/2024');
      for (const form of MOVES) expect(page.text, form).to.not.contain(form);
      expect(auditCount(db)).to.equal(before);
      setStage(db, 2024, 'self');
    }
  });

  it('when an evaluator in none of the teams proposes, confirms or withdraws publication, then it is refused', async () => {
    const { app, db, users } = await assessmentWorld();
    openAt(db, 2024, 'crosscheck');
    scoreEverything(db, 2024, actorOf(users.eva));
    setStage(db, 2024, 'feedback');
    const js = await session(app, users.evaJs);
    expect((await js.post('/assessment/2024/publish/propose', { version: String(round(db).version) })).status).to.equal(403);
    expect(round(db).publish_proposed_by).to.equal(null);
    const eva = await session(app, users.eva);
    expect((await eva.post('/assessment/2024/publish/propose', { version: String(round(db).version) })).status).to.equal(302);
    const confirmPage = await js.agent.get('/assessment/2024/publish');
    expect(confirmPage.text).to.not.contain('name="confirm"');
    const confirm = await js.post('/assessment/2024/publish', { version: String(round(db).version), confirm: 'yes' });
    expect(confirm.status).to.equal(403);
    expect((await js.post('/assessment/2024/publish/withdraw', { version: String(round(db).version) })).status).to.equal(403);
    expect(round(db)).to.include({ stage: 'feedback', publish_proposed_by: users.eva.id });
    // a member of the year's teams confirms (four eyes: not the proposer)
    const eve = await session(app, users.eve);
    const ok = await eve.post('/assessment/2024/publish', { version: String(round(db).version), confirm: 'yes' });
    expect(ok.status).to.equal(302);
    expect(round(db).stage).to.equal('published');
  });

  it('when the round’s named owner is in no team, then it may move the round; a team member may too', async () => {
    const { app, db, users } = await assessmentWorld();
    openAt(db, 2024, 'self');
    const owner = await buildUser(db, { role: 'evaluator', username: 'eva.owner' });
    db.$client.prepare('UPDATE assessment_rounds SET owner_id = ? WHERE year = 2024').run(owner.id);
    const s = await session(app, owner);
    expect((await s.agent.get('/assessment/2024')).text).to.contain('action="/assessment/2024/advance"');
    expect((await s.post('/assessment/2024/advance', { version: String(round(db).version) })).status).to.equal(302);
    expect(round(db).stage).to.equal('crosscheck');
    const eve = await session(app, users.eve);
    expect((await eve.post('/assessment/2024/advance', { version: String(round(db).version) })).status).to.equal(302);
    expect(round(db).stage).to.equal('comprehensive');
  });

  it('when an evaluator creates a new year’s framework, then it is refused and the form is not shown; an admin may', async () => {
    const { app, db, users } = await assessmentWorld();
    const eva = await session(app, users.eva);
    expect((await eva.agent.get('/assessment')).text).to.not.contain('action="/assessment/frameworks"');
    expect((await eva.post('/assessment/frameworks', { year: '2025' })).status).to.equal(403);
    expect(db.$client.prepare('SELECT count(*) AS n FROM assessment_frameworks WHERE year = 2025').get()).to.deep.equal({ n: 0 });
    const admin = await session(app, users.admin);
    expect((await admin.agent.get('/assessment')).text).to.contain('action="/assessment/frameworks"');
    expect((await admin.post('/assessment/frameworks', { year: '2025' })).status).to.equal(302);
  });

  it('when the new year is empty, not a number or out of range, then the form answers 422 with a message on the year field', async () => {
    const { app, db, users } = await assessmentWorld();
    const admin = await session(app, users.admin);
    for (const year of ['', 'abc', '99999', '2024']) {
      const res = await admin.post('/assessment/frameworks', { year });
      expect(res.status, year).to.equal(422);
      expect(res.text).to.contain('id="e-year"').and.to.contain('name="year"').and.to.not.contain('页面不存在');
      expect(res.text).to.match(year === '2024' ? /考核框架已存在/ : /1996–2100/);
    }
    expect(db.$client.prepare('SELECT count(*) AS n FROM assessment_frameworks').get()).to.deep.equal({ n: 1 });
  });
});

describe('organisation problems are told in names, not keys', () => {
  it('when a team is assigned its own province or a member overlaps a pairing it assesses, then the message names the region and the pairing', async () => {
    const { app, db, users } = await assessmentWorld();
    const admin = await session(app, users.admin);
    const { doc, version } = getFramework(db, 2024);
    doc.organisation.teams[0]!.assigned.push('r.assisting.320000'); // 江苏考核组 assigned 江苏
    const own = await admin.post('/assessment/2024/framework', { doc: JSON.stringify(doc), version: String(version) });
    expect(own.status).to.equal(422);
    // the document itself is kept in the form: the message is what must not show keys
    const message = (html: string) => /id="e-doc"[^>]*>([^<]*)</.exec(html)?.[1] ?? '';
    expect(message(own.text)).to.contain('被分配了 江苏省').and.to.not.contain('r.assisting');

    const pairingId = (db.$client.prepare("SELECT id FROM pairings WHERE assisting_code = '320508'").get() as { id: number }).id;
    const d2 = getFramework(db, 2024).doc;
    d2.objects.groups.push({ key: 'pairs', name: '结对', side: 'assisting', members: [{ kind: 'pairing', pairingId }] });
    d2.organisation.teams[0]!.assigned.push(`p.${pairingId}`);
    d2.organisation.teams[0]!.evaluators.push(users.evaJs.id);
    const overlap = await admin.post('/assessment/2024/framework', { doc: JSON.stringify(d2), version: String(version) });
    expect(overlap.status).to.equal(422);
    expect(message(overlap.text)).to.contain('江苏省 苏州市 姑苏区 → 陕西省 西安市 新城区').and.to.not.contain(`p.${pairingId}`);
  });
});

describe('a double-clicked evidence upload', () => {
  it('when the same upload is sent twice at once with one form token, then one file is stored and both answers lead to the scorecard', async function () {
    this.timeout(30_000);
    const { app, db } = await assessmentWorld();
    openAt(db, 2024, 'self');
    const office = await buildUser(db, { role: 'staff', username: 'office.js2', regionCode: '320000' });
    const { agent } = await session(app, office);
    const key = 'r.assisting.320000';
    const card = await agent.get(`/assessment/2024/scorecards/${key}`);
    const token = csrfOf(card.text);
    const onceToken = /name="_once" value="([^"]+)"/.exec(card.text.slice(card.text.indexOf('/assessment/2024/evidence?')))?.[1];
    expect(onceToken, 'the upload form carries a one-time token').to.be.a('string');
    const pdf = Buffer.from('%PDF-1.4\n% 自评佐证\n%%EOF\n');
    const send = () =>
      agent
        .post(`/assessment/2024/evidence?objectKey=${key}&_csrf=${token}`)
        .field('_csrf', token)
        .field('_once', onceToken!)
        .field('objectKey', key)
        .field('indicatorKey', '')
        .attach('file', pdf, { filename: '自评报告.pdf', contentType: 'application/pdf' });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect(a.headers.location).to.equal(`/assessment/2024/scorecards/${key}`).and.to.equal(b.headers.location);
    expect(db.$client.prepare('SELECT count(*) AS n FROM assessment_evidence').get()).to.deep.equal({ n: 1 });
  });
});
