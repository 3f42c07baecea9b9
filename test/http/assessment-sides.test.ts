import { expect } from 'chai';
import type { Response } from 'supertest';
import { submitInput } from '../../server/assessment/assessment.rounds.ts';
import { getFramework, yearResults } from '../../server/assessment/assessment.service.ts';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { npmBrowserSupported } from '../../server/lib/browser.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { pdfText } from '../support/pdf.ts';
import { runDailyDigest } from '../../server/notifications/notifications.digest.ts';
import { textOf } from '../support/imports.ts';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

const SHAANXI = 'r.assisted.610000';
const PDF = Buffer.from('%PDF-1.4\n% 佐证\n%%EOF\n');

/** A file behind an indicator, as the scorecard's upload form sends it (the token in the URL: checked before the body). */
async function upload(agent: Awaited<ReturnType<typeof loginAs>>, indicatorKey: string, filename: string) {
  const token = await csrfFor(agent, `/assessment/2024/scorecards/${SHAANXI}`);
  return agent
    .post(`/assessment/2024/evidence?objectKey=${SHAANXI}&_csrf=${token}`)
    .field('_csrf', token)
    .field('objectKey', SHAANXI)
    .field('indicatorKey', indicatorKey)
    .attach('file', PDF, { filename, contentType: 'application/pdf' });
}

async function world(env: NodeJS.ProcessEnv = {}) {
  const { app, db } = buildApp(undefined, env);
  const { county } = buildJiangsuShaanxi(db);
  const transfer = buildRecord(db, 'funds', county.id);
  const admin = await buildUser(db, { role: 'admin', username: 'admin' });
  const evaluator = await buildUser(db, { role: 'evaluator', username: 'evaluator' });
  const shaanxi = await buildUser(db, { role: 'staff', regionCode: '610000', username: 'office.shaanxi' });
  const jiangsu = await buildUser(db, { role: 'staff', regionCode: '320000', username: 'office.jiangsu' });
  const guangdong = await buildUser(db, { role: 'staff', regionCode: '440000', username: 'office.guangdong' });
  seedAssessment(db); // 2024 open at self-assessment
  const post = async (agent: Awaited<ReturnType<typeof loginAs>>, body: Record<string, string>) =>
    agent
      .post('/assessment/2024/inputs')
      .type('form')
      .send({ _csrf: await csrfFor(agent, '/assessment/2024'), objectKey: SHAANXI, ...body });
  return { app, db, admin, evaluator, shaanxi, jiangsu, guangdong, post, transfer };
}

/** Moves 2024 one stage on, as an admin on the year page would. */
async function advance(agent: Awaited<ReturnType<typeof loginAs>>, version: number) {
  const res = await agent
    .post('/assessment/2024/advance')
    .type('form')
    .send({ _csrf: await csrfFor(agent, '/assessment/2024'), version: String(version) });
  expect(res.status, `advance from version ${version}`).to.equal(302);
}

const scoreOf = (db: Parameters<typeof yearResults>[0], indicatorKey: string) => {
  const object = yearResults(db, SYSTEM, 2024)
    .groups.flatMap((g) => g.objects)
    .find((o) => o.key === SHAANXI)!;
  return { total: object.total, score: object.indicators.find((i) => i.key === indicatorKey)!.score };
};

describe('each side’s view of a scorecard and the right of reply', () => {
  it('when 陕西 assesses itself, 江苏 disagrees, the evaluator departs with a reason and an objection is answered, then all three columns and the answer are frozen and printed', async function () {
    this.timeout(120_000);
    const { app, db, admin, evaluator, shaanxi, jiangsu, guangdong, post } = await world({
      CHROMIUM_PATH: process.env.CHROMIUM_PATH,
    });
    const office = await loginAs(app, shaanxi);
    // the assessed side's own score and statement, per indicator
    const tooHigh = await post(office, { kind: 'self', indicatorKey: 'org.leadership', score: '11', text: '联席会议 4 次' });
    expect(tooHigh.status).to.equal(422);
    expect(tooHigh.text).to.contain('分数应在 0 到 10 之间').and.to.contain('value="联席会议 4 次"');
    expect(
      (await post(office, { kind: 'self', indicatorKey: 'org.leadership', score: '9', text: '联席会议 4 次' })).status,
    ).to.equal(302);
    expect(
      (await post(office, { kind: 'self', indicatorKey: 'innovation', score: '5', text: '消费帮扶新模式' })).status,
    ).to.equal(302);
    expect((await upload(office, 'org.leadership', '联席会议纪要.pdf')).status).to.equal(303);

    // the paired side (江苏) reads it and gives its opinion; a disagreement needs its reason
    const partner = await loginAs(app, jiangsu);
    const seen = await partner.get(`/assessment/2024/scorecards/${SHAANXI}`);
    expect(seen.status).to.equal(200);
    expect(seen.text).to.contain('联席会议 4 次').and.to.contain('9.00 / 10.00');
    // the evidence sits in the self-assessment's column, beside its indicator
    expect(seen.text).to.match(
      /<tr id="side-org\.leadership">[\s\S]*?data-label="自评">[^]*?联席会议纪要\.pdf[\s\S]*?data-label="结对方意见"/,
    );
    const bare = await post(partner, { kind: 'opinion', indicatorKey: 'org.leadership', decision: 'no', text: '' });
    expect(bare.status).to.equal(422);
    expect(bare.text).to.contain('不同意时请写明理由');
    expect(
      (await post(partner, { kind: 'opinion', indicatorKey: 'org.leadership', decision: 'no', text: '台账缺两次会议记录' }))
        .status,
    ).to.equal(302);
    expect((await post(partner, { kind: 'opinion', indicatorKey: 'innovation', decision: 'yes', text: '' })).status).to.equal(
      302,
    );
    // a province not paired with 陕西 neither reads nor opines; 陕西 cannot opine on itself
    const stranger = await loginAs(app, guangdong);
    expect((await stranger.get(`/assessment/2024/scorecards/${SHAANXI}`)).status).to.equal(404);
    expect(
      (await post(stranger, { kind: 'opinion', indicatorKey: 'org.leadership', decision: 'yes', text: '' })).status,
    ).to.equal(404);
    expect((await post(office, { kind: 'opinion', indicatorKey: 'org.leadership', decision: 'yes', text: '' })).status).to.equal(
      403,
    );
    // 陕西 rewrites its statement after 江苏's opinion: the opinion says it was given on an earlier one
    expect(
      (await post(office, { kind: 'self', indicatorKey: 'innovation', score: '5', text: '消费帮扶新模式，覆盖 12 县' })).status,
    ).to.equal(302);
    expect((await partner.get(`/assessment/2024/scorecards/${SHAANXI}`)).text).to.contain('意见提出后自评已修改');

    // cross-check: an evaluator departing from the self-assessment must say why
    const boss = await loginAs(app, admin);
    await advance(boss, 1);
    const judge = await loginAs(app, evaluator);
    const silent = await post(judge, { kind: 'judged', indicatorKey: 'org.leadership', score: '7', text: '' });
    expect(silent.status).to.equal(422);
    expect(silent.text).to.contain('您的评分与被考核方自评不同，请写明理由');
    // agreeing with the self score needs no reason of its own (the self-assessment is one)
    expect((await post(judge, { kind: 'judged', indicatorKey: 'org.leadership', score: '9', text: '' })).status).to.equal(302);
    expect(
      (await post(judge, { kind: 'judged', indicatorKey: 'org.leadership', score: '7', text: '会议记录不全，扣 2 分' })).status,
    ).to.equal(302);
    expect((await post(judge, { kind: 'judged', indicatorKey: 'innovation', score: '3', text: '做法尚未推广' })).status).to.equal(
      302,
    );
    // while the assessors score, the paired side neither reads the scorecard nor gives an opinion
    expect((await partner.get(`/assessment/2024/scorecards/${SHAANXI}`)).status).to.equal(404);
    expect(
      (await post(partner, { kind: 'opinion', indicatorKey: 'innovation', decision: 'no', text: '改变主意' })).status,
    ).to.equal(404);
    // a score not counted (not applicable) cannot be objected to later
    expect((await post(judge, { kind: 'na', indicatorKey: 'labour.jobs', text: '本年度无劳务协作协议目标' })).status).to.equal(
      302,
    );
    const { doc } = getFramework(db, 2024);
    const scorer = { id: evaluator.id, role: 'evaluator' as const, scope: null };
    for (const objectKey of doc.organisation.teams.flatMap((t) => t.assigned).filter((k) => k !== SHAANXI))
      for (const ind of doc.content.indicators.filter((i) => i.rule.type === 'judged'))
        submitInput(db, scorer, 2024, { kind: 'judged', objectKey, indicatorKey: ind.key, score: 3, text: '现场核查' });
    await advance(boss, 2);
    await advance(boss, 3); // → feedback

    // feedback: 陕西 objects to both judged scores
    const before = scoreOf(db, 'org.leadership');
    expect(before.score).to.equal(700);
    const noText = await post(office, { kind: 'objection', indicatorKey: 'org.leadership', text: '' });
    expect(noText.status).to.equal(422);
    expect(noText.text).to.contain('请写明异议的内容和依据');
    expect(
      (await post(office, { kind: 'objection', indicatorKey: 'org.leadership', text: '已补齐两次会议记录，见附件' })).status,
    ).to.equal(302);
    expect((await post(office, { kind: 'objection', indicatorKey: 'innovation', text: '该做法已在三县推广' })).status).to.equal(
      302,
    );
    expect((await upload(office, 'org.leadership', '补充会议记录.pdf')).status).to.equal(303);
    // the partner may not object for 陕西
    expect((await post(partner, { kind: 'objection', indicatorKey: 'org.leadership', text: '代为申诉' })).status).to.equal(403);

    // the daily digest tells those who may answer (the team's evaluator), not the partner
    await runDailyDigest(db, new Date());
    expect(textOf((await judge.get('/notifications')).text)).to.contain(
      '被考核方对评分提出异议，待您答复：2024 · 陕西省 · 组织领导',
    );
    expect(textOf((await partner.get('/notifications')).text)).to.not.contain('异议');

    // the evaluator finds both objections on its worklist and answers them there
    const list = await judge.get('/assessment/2024/worklist');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain('已补齐两次会议记录，见附件').and.to.contain('该做法已在三县推广');
    const answer = (body: Record<string, string>) => post(judge, { kind: 'reply', from: 'worklist', ...body });
    const unanswered = await answer({ indicatorKey: 'org.leadership', decision: 'yes', score: '9', text: '' });
    expect(unanswered.status).to.equal(422);
    expect(unanswered.text).to.contain('请写明答复理由').and.to.contain('我的评分任务');
    const accepted = await answer({
      indicatorKey: 'org.leadership',
      decision: 'yes',
      score: '9',
      text: '补充材料属实，改为 9 分',
    });
    expect(accepted.status).to.equal(302);
    // one answer per objection: another assessor may not add a second, and an answered objection stays as answered
    expect(
      (await post(boss, { kind: 'reply', indicatorKey: 'org.leadership', decision: 'no', text: '不同意改分' })).status,
    ).to.equal(409);
    expect((await post(office, { kind: 'objection', indicatorKey: 'org.leadership', text: '改写异议' })).status).to.equal(409);
    expect((await post(office, { kind: 'objection', indicatorKey: 'labour.jobs', text: '请计分' })).status).to.equal(409);
    expect(accepted.headers.location).to.match(/^\/assessment\/2024\/worklist/);
    const after = scoreOf(db, 'org.leadership');
    expect(after.score).to.equal(900);
    expect(after.total - before.total).to.equal(200); // the league table's total moves by the change
    // the admin's activity list says what was answered, in words
    const home = (await boss.get('/')).text;
    expect(home).to.contain('2024 · 陕西省 · 组织领导：联席会议、高层互访、工作台账').and.to.not.contain('r.assisted.610000');
    const innovationBefore = scoreOf(db, 'innovation');
    expect((await answer({ indicatorKey: 'innovation', decision: 'no', text: '推广材料未见成效数据' })).status).to.equal(302);
    expect(scoreOf(db, 'innovation')).to.deep.equal(innovationBefore); // a rejection changes nothing
    expect((await judge.get('/assessment/2024/worklist')).text).to.contain('已评 2 / 2');
    // and the next day's digest tells 陕西's office its objections were answered
    await runDailyDigest(db, new Date(Date.now() + 86_400_000));
    expect(textOf((await office.get('/notifications')).text)).to.contain('您提出的异议已有答复：2024 · 陕西省 · 创新做法');

    // publication freezes it all: the assessed side reads its three columns, the reasons and the answers
    expect(
      (
        await judge
          .post('/assessment/2024/publish/propose')
          .type('form')
          .send({ _csrf: await csrfFor(judge, '/assessment/2024'), version: '4' })
      ).status,
    ).to.equal(302);
    const confirm = await boss
      .post('/assessment/2024/publish')
      .type('form')
      .send({ _csrf: await csrfFor(boss, '/assessment/2024/publish'), version: '5', confirm: 'yes' });
    expect(confirm.status).to.equal(302);
    // what was published is what is read, whatever the live rows say afterwards
    db.$client.prepare(`UPDATE assessment_inputs SET text = '事后改动' WHERE kind = 'reply'`).run();
    const card = (await office.get(`/assessment/2024/scorecards/${SHAANXI}`)).text;
    expect(card).to.not.contain('事后改动');
    expect(card).to.contain('自评、结对方意见与考核评分');
    expect(card).to.contain('联席会议 4 次').and.to.contain('台账缺两次会议记录').and.to.contain('会议记录不全，扣 2 分');
    expect(card).to.match(/id="objections-h"[\s\S]*补充会议记录\.pdf/); // the objection's evidence, in its annex
    expect(card).to.contain('已接受，改为 9.00 / 10.00').and.to.contain('不予接受').and.to.contain('推广材料未见成效数据');
    expect(card).to.not.contain('name="kind" value="objection"'); // frozen: no form is offered any more
    expect(card).to.not.contain('evaluator'); // who scored is not told to the assessed side
    expect(card).to.match(/<dt>排名<\/dt><dd>\d+ \/ 10\b/); // its rank among the 10 western provinces, not among what it sees

    if (!process.env.CHROMIUM_PATH && !npmBrowserSupported) return;
    try {
      const pdf = await office.get(`/assessment/2024/scorecards/${SHAANXI}/pdf`).buffer(true).parse(binary);
      expect(pdf.status).to.equal(200);
      const text = (await pdfText(pdf.body as Buffer)).replace(/\s+/g, '');
      expect(text).to.contain('附件：异议与答复');
      expect(text).to.contain('台账缺两次会议记录').and.to.contain('补充材料属实').and.to.contain('推广材料未见成效数据');
    } finally {
      await app.pdf.close();
    }
  });

  it('when the evaluator scores from its worklist, then each save moves to the next item and the count of what waits falls', async function () {
    this.timeout(60_000);
    const { app, admin, evaluator, shaanxi, post } = await world();
    await advance(await loginAs(app, admin), 1); // → cross-check
    const judge = await loginAs(app, evaluator);
    const first = await judge.get('/assessment/2024/worklist');
    expect(first.status).to.equal(200);
    const progress = (html: string) => /已评 (\d+) \/ (\d+)/.exec(html)!.slice(1).map(Number);
    const [done0, total] = progress(first.text);
    expect(done0).to.equal(0);
    expect(total).to.be.greaterThan(2);
    // the score box is in plain view, not inside a "why" panel
    expect(first.text).to.match(/<section class="work-item"[^>]*id="next"[\s\S]*?<input id="ws-[^"]+" name="score"/);
    const [, objectKey, indicatorKey] =
      /name="objectKey" value="([^"]+)"><input type="hidden" name="indicatorKey" value="([^"]+)"><input type="hidden" name="kind" value="judged">/.exec(
        first.text,
      )!;
    const bad = await post(judge, {
      objectKey: objectKey!,
      indicatorKey: indicatorKey!,
      kind: 'judged',
      from: 'worklist',
      score: '99',
      text: '很好',
    });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('我的评分任务').and.to.contain('value="99"').and.to.contain('value="很好"');
    const saved = await post(judge, {
      objectKey: objectKey!,
      indicatorKey: indicatorKey!,
      kind: 'judged',
      from: 'worklist',
      score: '6',
      text: '台账齐全',
    });
    expect(saved.status).to.equal(302);
    expect(saved.headers.location).to.equal('/assessment/2024/worklist#next');
    const next = await judge.get('/assessment/2024/worklist');
    expect(progress(next.text)).to.deep.equal([1, total]);
    // the first item waiting is now another one
    expect(next.text).to.not.match(
      new RegExp(
        `id="next"[\\s\\S]{0,400}value="${objectKey!.replace(/\./g, '\\.')}"><input type="hidden" name="indicatorKey" value="${indicatorKey!.replace(/\./g, '\\.')}"`,
      ),
    );
    // an office has no worklist
    expect((await (await loginAs(app, shaanxi)).get('/assessment/2024/worklist')).status).to.equal(403);
  });

  it('when 江苏 attaches a voucher to a transfer, then the scorecard’s "why" panel leads to it, and only those who see the scorecard get there', async function () {
    this.timeout(60_000);
    const { app, evaluator, jiangsu, guangdong, transfer } = await world();
    const office = await loginAs(app, jiangsu);
    const path = `/records/funds/${transfer.id}`;
    const token = await csrfFor(office, path);
    const up = await office
      .post(`${path}/files?_csrf=${token}`)
      .field('_csrf', token)
      .attach('file', PDF, { filename: '拨付凭证.pdf', contentType: 'application/pdf' });
    expect(up.status).to.be.oneOf([302, 303]);
    const judge = await loginAs(app, evaluator);
    const card = (await judge.get('/assessment/2024/scorecards/r.assisting.320000')).text.replace(/&#x3D;/g, '=');
    const link = /href="(\/assessment\/2024\/scorecards\/r\.assisting\.320000\/files\?indicator=funds\.fiscal)"/.exec(card)?.[1];
    expect(link, 'the why panel links to the files').to.be.a('string');
    const files = await judge.get(link!);
    expect(files.status).to.equal(200);
    expect(files.text).to.contain('拨付凭证.pdf').and.to.contain('资金支持').and.to.contain(`/records/funds/${transfer.id}"`);
    // the labour measure's records carry none
    expect((await judge.get('/assessment/2024/scorecards/r.assisting.320000/files?indicator=labour.jobs')).text).to.contain(
      '这些记录没有附件',
    );
    // an indicator without records behind it, or a scorecard the reader may not see, is not there
    expect((await judge.get('/assessment/2024/scorecards/r.assisting.320000/files?indicator=org.leadership')).status).to.equal(
      404,
    );
    expect((await (await loginAs(app, guangdong)).get(link!)).status).to.equal(404);
  });
});
