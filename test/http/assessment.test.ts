import { expect } from 'chai';
import { firstSheetRows } from '../support/imports.ts';
import type { Response } from 'supertest';
import { submitInput } from '../../server/assessment/assessment.rounds.ts';
import { getFramework } from '../../server/assessment/assessment.service.ts';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { npmBrowserSupported } from '../../server/lib/browser.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { pdfText } from '../support/pdf.ts';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function world(env: NodeJS.ProcessEnv = {}) {
  const { app, db } = buildApp(undefined, env);
  const { county } = buildJiangsuShaanxi(db);
  buildRecord(db, 'funds', county.id);
  buildRecord(db, 'labour', county.id, { people: 321 });
  const admin = await buildUser(db, { role: 'admin', username: 'admin' });
  const evaluator = await buildUser(db, { role: 'evaluator', username: 'evaluator' });
  const liaison = await buildUser(db, { role: 'liaison', regionCode: '520000', username: 'liaison.guizhou' });
  seedAssessment(db); // frameworks 2021–2025, 2021–2023 published, 2024 open at self-assessment
  return { app, db, admin, evaluator, liaison, county };
}

describe('the yearly assessment, as an evaluator works through it', () => {
  it('when the evaluator scores 江苏 and 2024 is published by two people, then the scorecard explains itself and exports', async function () {
    this.timeout(60_000);
    const { app, db, admin, evaluator, liaison } = await world();
    const agent = await loginAs(app, evaluator);
    const year = await agent.get('/assessment/2024');
    expect(year.status).to.equal(200);
    expect(year.text).to.contain('自评').and.to.contain('帮扶省份');
    const token = await csrfFor(agent, '/assessment/2024');
    const advance = async (version: number) => {
      const res = await agent
        .post('/assessment/2024/advance')
        .type('form')
        .send({ _csrf: token, version: String(version) });
      expect(res.status, `advance from version ${version}`).to.equal(302);
    };
    await advance(1); // → cross-check
    const key = 'r.assisting.320000';
    const tooHigh = await agent
      .post('/assessment/2024/inputs')
      .type('form')
      .send({ _csrf: token, kind: 'judged', objectKey: key, indicatorKey: 'org.leadership', score: '12', text: '很好' });
    expect(tooHigh.status).to.equal(422);
    expect(tooHigh.text).to.contain('分数应在 0 到 10 之间');
    expect(tooHigh.text).to.contain('value="很好"'); // the comment typed is kept
    expect(tooHigh.text).to.contain('<label for="s-org.leadership">您的评分（0–10.00）</label>'); // the indicator's own maximum
    const noComment = await agent
      .post('/assessment/2024/inputs')
      .type('form')
      .send({ _csrf: token, kind: 'judged', objectKey: key, indicatorKey: 'org.leadership', score: '8', text: '' });
    expect(noComment.status).to.equal(422);
    expect(noComment.text).to.contain('请填写说明');
    for (const [indicatorKey, score] of [
      ['org.leadership', '9'],
      ['innovation', '4.5'],
    ]) {
      const res = await agent
        .post('/assessment/2024/inputs')
        .type('form')
        .send({ _csrf: token, kind: 'judged', objectKey: key, indicatorKey, score, text: '现场核查：台账齐全' });
      expect(res.status).to.equal(302);
    }
    // the other objects' judged indicators, so nothing required is missing
    const { doc } = getFramework(db, 2024);
    const judged = doc.content.indicators.filter((i) => i.rule.type === 'judged');
    const scorer = { id: evaluator.id, role: 'evaluator' as const, scope: null };
    for (const objectKey of doc.organisation.teams.flatMap((t) => t.assigned).filter((k) => k !== key))
      for (const ind of judged)
        submitInput(db, scorer, 2024, { kind: 'judged', objectKey, indicatorKey: ind.key, score: 3, text: '现场核查' });
    await advance(2); // → comprehensive
    await advance(3); // → feedback
    const propose = await agent.post('/assessment/2024/publish/propose').type('form').send({ _csrf: token, version: '4' });
    expect(propose.status).to.equal(302);
    const second = await loginAs(app, admin);
    const confirm = await second
      .post('/assessment/2024/publish')
      .type('form')
      .send({ _csrf: await csrfFor(second, '/assessment/2024/publish'), version: '5', confirm: 'yes' });
    expect(confirm.status).to.equal(302);
    expect((await agent.get('/assessment/2024')).text).to.contain('已发布');

    const card = await agent.get(`/assessment/2024/scorecards/${key}`);
    expect(card.status).to.equal(200);
    expect(card.text).to.contain('江苏省').and.to.contain('为什么是这个分数');
    expect(card.text).to.contain('9.00 / 10.00'); // the judged score entered above
    const decoded = card.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
    const why = /data-indicator="funds\.fiscal"[\s\S]*?href="(\/records\/[^"]*)"/.exec(decoded)?.[1];
    expect(why).to.equal('/records/funds?kind=fiscal&region=32&year=2024');
    const records = await agent.get(why!);
    expect(records.status).to.equal(200);
    expect(records.text).to.contain('/records/funds/1"');

    const xlsx = await agent.get('/assessment/2024/league.xlsx?group=east').buffer(true).parse(binary);
    expect(xlsx.status).to.equal(200);
    expect(xlsx.headers['content-type']).to.contain('spreadsheetml');
    expect((xlsx.body as Buffer).subarray(0, 2).toString()).to.equal('PK'); // a zip container
    // scores are number cells, their unit in the header (a spreadsheet sums them)
    const [header, first] = await firstSheetRows(xlsx.body as Buffer);
    expect(header).to.include('得分（分）').and.include('得分率（%）');
    expect(first![header!.indexOf('得分（分）')]).to.be.a('number');
    expect(first![header!.indexOf('得分率（%）')]).to.be.a('number');
    const csv = await agent.get(`/assessment/2024/scorecards/${key}/export.csv`);
    expect(csv.text.startsWith('\uFEFF')).to.equal(true);
    expect(csv.text).to.contain('财政援助资金完成协议目标');

    // a liaison of 贵州 sees 贵州's own result after publication, and nothing of 江苏
    const other = await loginAs(app, liaison);
    expect((await other.get(`/assessment/2024/scorecards/${key}`)).status).to.equal(404);
    expect((await other.get('/assessment/2024/scorecards/r.assisted.520000')).status).to.equal(200);
  });

  it('when the PDF of a scorecard is downloaded, then it is a PDF whose text holds the object’s Chinese name', async function () {
    this.timeout(60_000);
    // The npm-shipped browser by default; .ci/run runs this again with CHROMIUM_PATH=/usr/bin/chromium.
    if (!process.env.CHROMIUM_PATH && !npmBrowserSupported) this.skip(); // npm ships linux-x64 only
    const { app, evaluator } = await world({ CHROMIUM_PATH: process.env.CHROMIUM_PATH });
    try {
      const agent = await loginAs(app, evaluator);
      const res = await agent.get('/assessment/2023/scorecards/r.assisting.320000/pdf').buffer(true).parse(binary);
      expect(res.status).to.equal(200);
      const pdf = res.body as Buffer;
      expect(pdf.subarray(0, 4).toString()).to.equal('%PDF');
      const text = await pdfText(pdf);
      expect(text).to.contain('江苏省');
      expect(text).to.contain('财政援助资金');
    } finally {
      await app.pdf.close(); // the app's browser, closed as at shutdown
    }
  });
});

describe('evidence files', () => {
  it('when files are uploaded, then only real files of the accepted kinds are kept, at the right stage, and only those who may see the scorecard download them', async function () {
    this.timeout(30_000);
    const { app, db, evaluator, liaison } = await world();
    const staff = await buildUser(db, { role: 'staff', regionCode: '320000', username: 'office.jiangsu' });
    const key = 'r.assisting.320000';
    const office = await loginAs(app, staff);
    const token = await csrfFor(office, `/assessment/2024/scorecards/${key}`).catch(() => csrfFor(office, '/'));
    const pdf = Buffer.from('%PDF-1.4\n% 自评佐证\n%%EOF\n');
    const upload = (agent: typeof office, body: Buffer, name: string, type: string, fields: Record<string, string> = {}) =>
      agent
        .post(`/assessment/2024/evidence?objectKey=${key}&_csrf=${token}`) // checked before the body is read
        .field('_csrf', token)
        .field('objectKey', key)
        .field('indicatorKey', fields.indicatorKey ?? '')
        .attach('file', body, { filename: name, contentType: type });

    // accepted or refused, the answer leads back to the scorecard (the upload's URL holds the CSRF token)
    const cardPath = `/assessment/2024/scorecards/${key}`;
    expect(await upload(office, pdf, '自评报告.pdf', 'application/pdf')).to.include({ status: 303 });
    const fake = await upload(office, Buffer.from('MZ not a pdf'), 'report.pdf', 'application/pdf');
    expect(fake).to.include({ status: 303 }).and.to.have.nested.property('headers.location', cardPath);
    expect((await office.get(cardPath)).text).to.contain('只接受 PDF');
    const big = await upload(
      office,
      Buffer.concat([Buffer.from('%PDF'), Buffer.alloc(10 * 1024 * 1024 + 10)]),
      'big.pdf',
      'application/pdf',
    );
    expect(big).to.include({ status: 303 }).and.to.have.nested.property('headers.location', cardPath);
    expect((await office.get(cardPath)).text).to.contain('文件超过 10 MB');
    const noToken = await office
      .post('/assessment/2024/evidence')
      .field('objectKey', key)
      .attach('file', pdf, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(noToken.status).to.equal(403);

    expect((await office.get(cardPath)).text).to.contain('自评报告.pdf'); // the office, while self-assessing
    expect((await office.get('/assessment/2024/scorecards/r.assisting.440000')).status).to.equal(404); // not 广东's
    const ev = await loginAs(app, evaluator);
    const card = await ev.get(`/assessment/2024/scorecards/${key}`);
    expect(card.text).to.contain('自评报告.pdf');
    const id = /\/assessment\/2024\/evidence\/(\d+)/.exec(card.text)?.[1];
    const file = await ev.get(`/assessment/2024/evidence/${id}`).buffer(true).parse(binary);
    expect((file.body as Buffer).equals(pdf)).to.equal(true);
    expect(file.headers['content-disposition']).to.contain(encodeURIComponent('自评报告.pdf'));
    const stranger = await loginAs(app, liaison);
    expect((await stranger.get(`/assessment/2024/evidence/${id}`)).status).to.equal(404);
    // an evaluator cannot add self-assessment evidence, and cross-check evidence waits for its stage
    const evToken = await csrfFor(ev, '/');
    const early = await ev
      .post(`/assessment/2024/evidence?objectKey=${key}&_csrf=${evToken}`)
      .field('_csrf', evToken)
      .field('objectKey', key)
      .field('indicatorKey', 'org.leadership')
      .attach('file', pdf, { filename: 'visit.pdf', contentType: 'application/pdf' });
    expect(early.status).to.equal(403); // refused before its body is read
  });
});

describe('re-weighting a framework', () => {
  it('when an evaluator changes an indicator’s points and the cut-offs in their forms, then the framework and the scores follow; bad values come back with 422', async () => {
    const { app, evaluator } = await world();
    const agent = await loginAs(app, evaluator);
    const page = await agent.get('/assessment/2024/framework');
    expect(page.text).to.contain('href="/assessment/2024/framework/indicators/org.leadership"');
    const token = await csrfFor(agent, '/assessment/2024/framework/grading');
    const indicator = { _csrf: token, version: '1', zh: '组织领导', area: 'organisation', side: 'both', scoring: 'judged' };
    const bad = await agent
      .post('/assessment/2024/framework/indicators/org.leadership')
      .type('form')
      .send({ ...indicator, points: '0' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('分值须大于 0');
    const grading = { _csrf: token, quota: '', tolerance: '20' };
    const order = await agent
      .post('/assessment/2024/framework/grading')
      .type('form')
      .send({ ...grading, version: '1', good: '70', fairlyGood: '80', average: '60' });
    expect(order.status).to.equal(422);
    expect(order.text).to.contain('分数线须依次递减');
    const ok = await agent
      .post('/assessment/2024/framework/indicators/org.leadership')
      .type('form')
      .send({ ...indicator, points: '20' });
    expect(ok.status).to.equal(302);
    const cut = await agent
      .post('/assessment/2024/framework/grading')
      .type('form')
      .send({ ...grading, version: '2', good: '85', fairlyGood: '70', average: '55' });
    expect(cut.status).to.equal(302);
    const card = await agent.get('/assessment/2024/scorecards/r.assisting.320000');
    expect(card.text).to.contain('/ 20.00'); // the first indicator now has 20 points
    const stale = await agent
      .post('/assessment/2024/framework/grading')
      .type('form')
      .send({ ...grading, version: '1', good: '85', fairlyGood: '70', average: '55' });
    expect(stale.status).to.equal(409);
  });
});
