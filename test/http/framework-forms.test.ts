import { expect } from 'chai';
import type { Agent } from 'supertest';
import { computeYear, getFramework } from '../../server/assessment/assessment.service.ts';
import { DEFAULT_AREAS, DEFAULT_INDICATORS } from '../../server/assessment/assessment.defaults.ts';
import { objectKeys, type FrameworkDoc } from '../../server/assessment/assessment.framework.ts';
import { submitInput } from '../../server/assessment/assessment.rounds.ts';
import type { GroupResult } from '../../server/assessment/assessment.scorecards.ts';
import { DEMO_OPTIONS, seedAssessment, seedDataset } from '../../server/demo/demo.seed.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { formFor } from '../support/forms.ts';

/**
 * The year's framework edited as forms (issue 12, item 1): an admin builds a whole framework
 * without touching JSON and it scores the demo year exactly like the shipped one; what does not
 * hold together is refused naming its area and indicator, by the forms and by the JSON import
 * alike; a published year's framework is read-only.
 */
const YEAR = DEMO_OPTIONS.lastYear; // the demo's open year (self-assessment); the years before are published
const PUBLISHED = YEAR - 1;

async function world() {
  const { app, db } = buildApp();
  seedDataset(db, DEMO_OPTIONS);
  const admin = await buildUser(db, { role: 'admin', username: 'admin' });
  const evaluator = await buildUser(db, { role: 'evaluator', username: 'evaluator' });
  seedAssessment(db, YEAR);
  return { app, db, admin, evaluator, agent: await loginAs(app, admin) };
}

/** Opens `page`, takes the form posting to `action` as the page offers it, types `changes` and sends it. */
async function submit(agent: Agent, page: string, action: string, changes: Record<string, string> = {}) {
  const res = await agent.get(page);
  expect(res.status, `GET ${page}`).to.equal(200);
  const form = formFor(res.text, action);
  if (!form) throw new Error(`${page} offers no form posting to ${action}`);
  return agent
    .post(form.action)
    .type('form')
    .send({ ...form.fields, ...changes });
}

const results = (groups: GroupResult[]) =>
  groups.flatMap((g) => g.objects.map((o) => ({ key: o.key, total: o.total, max: o.max, grade: o.grade, rank: o.rank })));

/** What the indicator form asks for one of the shipped indicators. */
function indicatorFields(i: (typeof DEFAULT_INDICATORS)[number]): Record<string, string> {
  const computed = i.rule.type === 'computed' ? i.rule : null;
  const bands = computed?.scoring.type === 'bands' ? computed.scoring.bands : [];
  return {
    key: i.key,
    zh: i.name.zh,
    en: i.name.en,
    area: i.area,
    points: String(i.points),
    side: i.side,
    scoring: computed ? computed.scoring.type : 'judged',
    measure: computed ? computed.measure : '',
    ...Object.fromEntries(
      bands.flatMap((b, n) => [
        [`bandMin${n}`, String(b.min)],
        [`bandPoints${n}`, String(b.points)],
      ]),
    ),
  };
}

describe('the framework built as forms', () => {
  it('when a framework is built entirely through the forms, then it scores the demo year exactly like the shipped one built from JSON', async function () {
    this.timeout(120_000);
    const { db, admin, agent } = await world();
    // judged scores and a veto in the open year, so every kind of rule and the veto cap take part
    db.$client.prepare('UPDATE assessment_rounds SET stage = ? WHERE year = ?').run('crosscheck', YEAR);
    const shippedDoc = getFramework(db, YEAR).doc;
    const actor = { id: admin.id, role: 'admin' as const, scope: null };
    objectKeys(shippedDoc).forEach((objectKey, n) => {
      for (const indicatorKey of ['org.leadership', 'innovation'])
        submitInput(db, actor, YEAR, { kind: 'judged', objectKey, indicatorKey, score: (n * 7) % 6, text: '现场核查' });
    });
    db.$client.prepare('UPDATE assessment_rounds SET stage = ? WHERE year = ?').run('comprehensive', YEAR);
    submitInput(db, actor, YEAR, {
      kind: 'veto',
      objectKey: objectKeys(shippedDoc)[0]!,
      indicatorKey: 'veto.falseData',
      score: undefined,
      text: '数据不实',
    });
    const shipped = results(computeYear(db, YEAR).groups);
    expect(new Set(shipped.map((r) => r.grade)).size, 'the demo year has several grades').to.be.greaterThan(1);

    // a minimal framework to start from: one placeholder area and indicator, other cut-offs, no vetoes
    const minimal: FrameworkDoc = {
      ...shippedDoc,
      content: {
        areas: [{ key: 'tmp', name: { zh: '临时', en: 'Temp' } }],
        indicators: [{ ...DEFAULT_INDICATORS[0]!, key: 'tmp.1', area: 'tmp', points: 1 }],
        judgedTolerancePercent: 50,
      },
      grading: { cutoffs: { good: 50, fairlyGood: 40, average: 30 }, quotaGoodPercent: null, vetoes: [] },
    };
    db.$client.prepare('UPDATE assessment_frameworks SET doc = ? WHERE year = ?').run(JSON.stringify(minimal), YEAR);
    expect(results(computeYear(db, YEAR).groups)).to.not.deep.equal(shipped);

    const fw = `/assessment/${YEAR}/framework`;
    for (const area of DEFAULT_AREAS) {
      const res = await submit(agent, `${fw}/areas/new`, `${fw}/areas`, { key: area.key, zh: area.name.zh, en: area.name.en });
      expect(res.status, `area ${area.name.zh}`).to.equal(302);
    }
    for (const ind of DEFAULT_INDICATORS) {
      const res = await submit(agent, `${fw}/indicators/new`, `${fw}/indicators`, indicatorFields(ind));
      expect(res.status, `indicator ${ind.name.zh}: ${/class="error"[^>]*>([^<]*)/.exec(res.text)?.[1] ?? ''}`).to.equal(302);
    }
    expect((await submit(agent, `${fw}/indicators/tmp.1/remove`, `${fw}/indicators/tmp.1/remove`)).status).to.equal(302);
    expect((await submit(agent, `${fw}/areas/tmp/remove`, `${fw}/areas/tmp/remove`)).status).to.equal(302);
    const grading = { good: '90', fairlyGood: '75', average: '60', quota: '40', tolerance: '20' };
    expect((await submit(agent, `${fw}/grading`, `${fw}/grading`, grading)).status).to.equal(302);
    for (const veto of shippedDoc.grading.vetoes) {
      const res = await submit(agent, `${fw}/vetoes/new`, `${fw}/vetoes`, { key: veto.key, name: veto.name, cap: veto.cap });
      expect(res.status).to.equal(302);
    }

    const built = getFramework(db, YEAR).doc;
    expect(built.content).to.deep.equal(shippedDoc.content);
    expect(built.grading).to.deep.equal(shippedDoc.grading);
    expect(results(computeYear(db, YEAR).groups)).to.deep.equal(shipped);
    const page = await agent.get(fw);
    expect(page.text).to.contain('适用指标合计：帮扶方 100 分，受援方 95 分。');
  });

  it('when an indicator is given a band above its points, then the form and the JSON import both refuse it naming the area and indicator in Chinese', async function () {
    this.timeout(60_000);
    const { db, agent } = await world();
    const fw = `/assessment/${YEAR}/framework`;
    const viaForm = await submit(agent, `${fw}/indicators/funds.fiscal`, `${fw}/indicators/funds.fiscal`, {
      points: '10',
      scoring: 'bands',
      bandMin0: '50',
      bandPoints0: '5',
      bandMin1: '100',
      bandPoints1: '12',
    });
    expect(viaForm.status).to.equal(422);
    expect(viaForm.text).to.contain('资金支持 · 财政援助资金完成协议目标：分档得分 12 分超过该指标分值 10 分');
    expect(viaForm.text).to.contain('name="bandPoints1" type="text" inputmode="decimal" size="6" value="12"'); // what was typed stays
    const half = await submit(agent, `${fw}/indicators/funds.fiscal`, `${fw}/indicators/funds.fiscal`, { bandMin0: '50' });
    expect(half.status).to.equal(422);
    expect(half.text).to.contain('请同时填写这一档的下限和得分');

    const { doc, version } = getFramework(db, YEAR);
    const json = (d: unknown) => JSON.stringify(d, null, 2);
    const banded = structuredClone(doc);
    const fiscal = banded.content.indicators.find((i) => i.key === 'funds.fiscal')!;
    fiscal.rule = { type: 'computed', measure: 'fiscalFunds', scoring: { type: 'bands', bands: [{ min: 100, points: 12 }] } };
    fiscal.points = 10;
    const imported = await submit(agent, `${fw}/json`, fw, { doc: json(banded) });
    expect(imported.status).to.equal(422);
    expect(imported.text).to.contain('资金支持 · 财政援助资金完成协议目标：分档得分 12 分超过该指标分值 10 分');

    const zeroPoints = structuredClone(doc);
    zeroPoints.content.indicators[4]!.points = 0;
    const zod = await submit(agent, `${fw}/json`, fw, { doc: json(zeroPoints) });
    expect(zod.status).to.equal(422);
    expect(zod.text).to.contain('资金支持 · 资金到账确认率（%）：分值须大于 0');
    expect(zod.text).to.not.contain('content.indicators');

    const english = await agent.get(`/assessment/${YEAR}/framework/json?lang=en`);
    expect(english.status).to.equal(200);
    expect(getFramework(db, YEAR).version, 'nothing was saved').to.equal(version);
  });

  it('when the JSON has a syntax error, then the import says on which line and column', async () => {
    const { agent } = await world();
    const fw = `/assessment/${YEAR}/framework`;
    const broken = '{\n  "illustrative": true,\n  "goals" {}\n}';
    const res = await submit(agent, `${fw}/json`, fw, { doc: broken });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('JSON 格式错误：第 3 行第 11 列附近。');
    expect(res.text).to.contain('&quot;goals&quot; {}'); // the text typed comes back to be corrected
  });

  it('when a year is published, then its framework is shown without forms and every framework POST is refused', async function () {
    this.timeout(60_000);
    const { db, agent } = await world();
    const fw = `/assessment/${PUBLISHED}/framework`;
    const page = await agent.get(fw);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('资金到账确认率（%）');
    expect(page.text).to.not.match(/<form[^>]*method="post"[^>]*action="\/assessment/);
    expect(page.text).to.not.contain(`${fw}/indicators/new`);
    expect(page.text).to.not.contain(`${fw}/reset`);
    const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/account/password')).text)![1]!;
    const version = String(getFramework(db, PUBLISHED).version);
    for (const [path, body] of [
      ['/areas', { zh: '新方面' }],
      ['/areas/funds', { zh: '资金' }],
      ['/areas/funds/move', { direction: 'up' }],
      ['/indicators/funds.fiscal/remove', {}],
      ['/indicators/funds.fiscal/move', { direction: 'down' }],
      ['/grading', { good: '90', fairlyGood: '75', average: '60', quota: '', tolerance: '20' }],
      ['/vetoes', { name: '新事项', cap: 'poor' }],
      ['/vetoes/veto.misuse/remove', {}],
      ['/reset', {}],
      ['', { doc: JSON.stringify(getFramework(db, PUBLISHED).doc) }],
    ] as const) {
      const res = await agent
        .post(`${fw}${path}`)
        .type('form')
        .send({ _csrf: token, version, ...body });
      expect(res.status, `POST ${fw}${path}`).to.equal(409);
    }
    for (const path of ['/indicators/new', '/grading', '/json', '/reset', '/indicators/funds.fiscal/remove'])
      expect((await agent.get(`${fw}${path}`)).status, `GET ${fw}${path}`).to.equal(409);
    expect(getFramework(db, PUBLISHED).version).to.equal(Number(version));
  });

  it('when an indicator or an area is moved up, then it changes places with the one before it', async () => {
    const { db, agent } = await world();
    const fw = `/assessment/${YEAR}/framework`;
    const keys = () =>
      getFramework(db, YEAR)
        .doc.content.indicators.filter((i) => i.area === 'funds')
        .map((i) => i.key);
    expect(keys()).to.deep.equal(['funds.fiscal', 'funds.fiscal.notBelow', 'funds.social', 'funds.confirmed']);
    expect((await submit(agent, fw, `${fw}/indicators/funds.social/move`, { direction: 'up' })).status).to.equal(302);
    expect(keys()).to.deep.equal(['funds.fiscal', 'funds.social', 'funds.fiscal.notBelow', 'funds.confirmed']);
    expect((await submit(agent, fw, `${fw}/areas/talent/move`, { direction: 'up' })).status).to.equal(302);
    expect(
      getFramework(db, YEAR)
        .doc.content.areas.map((a) => a.key)
        .slice(0, 3),
    ).to.deep.equal(['organisation', 'talent', 'funds']);
    const page = (await agent.get(fw)).text;
    expect(page.indexOf('社会帮扶资金完成协议目标')).to.be.lessThan(page.indexOf('财政援助资金不低于上年'));
    expect(page.indexOf('人才支援')).to.be.lessThan(page.indexOf('资金支持'));
  });

  it('when an indicator is removed, then a confirmation page asks first; an area with indicators is not removed', async () => {
    const { db, agent } = await world();
    const fw = `/assessment/${YEAR}/framework`;
    const page = (await agent.get(fw)).text;
    expect(formFor(page, `${fw}/indicators/innovation/remove`), 'no removal straight from the list').to.equal(undefined);
    const ask = await agent.get(`${fw}/indicators/innovation/remove`);
    expect(ask.text).to.contain('删除指标“创新做法”？');
    expect((await submit(agent, `${fw}/indicators/innovation/remove`, `${fw}/indicators/innovation/remove`)).status).to.equal(
      302,
    );
    expect(getFramework(db, YEAR).doc.content.indicators.map((i) => i.key)).to.not.include('innovation');
    const full = await submit(agent, `${fw}/areas/funds/remove`, `${fw}/areas/funds/remove`);
    expect(full.status).to.equal(422);
    expect(full.text).to.contain('这一方面还有 4 个指标');
    // the emptied area is flagged by the running check, then removed
    expect((await agent.get(fw)).text).to.contain('创新：这一方面还没有指标。');
    expect((await submit(agent, `${fw}/areas/innovation/remove`, `${fw}/areas/innovation/remove`)).status).to.equal(302);
  });

  it('when the admin starts next year from this year, changes it, and resets it from last year, then it is this year’s again with its dates a year on', async () => {
    const { db, agent } = await world();
    const index = await agent.get('/assessment');
    expect(formFor(index.text, '/assessment/frameworks')?.fields.year, 'next year offered').to.equal(String(YEAR + 1));
    expect(index.text).to.contain('新年度以上一年度的框架为起点');
    expect((await submit(agent, '/assessment', '/assessment/frameworks')).status).to.equal(302);
    const next = `/assessment/${YEAR + 1}/framework`;
    const res = await submit(agent, `${next}/indicators/innovation`, `${next}/indicators/innovation`, { points: '8' });
    expect(res.status).to.equal(302);
    expect(getFramework(db, YEAR + 1).doc.content.indicators.at(-1)!.points).to.equal(8);
    const ask = await agent.get(`${next}/reset`);
    expect(ask.text).to.contain(`用 ${YEAR} 年度框架重置 ${YEAR + 1} 年度框架？`);
    expect((await submit(agent, `${next}/reset`, `${next}/reset`)).status).to.equal(302);
    const reset = getFramework(db, YEAR + 1).doc;
    const source = getFramework(db, YEAR).doc;
    expect(reset.content).to.deep.equal(source.content);
    expect(reset.steps[0]!.due.slice(0, 4)).to.equal(String(Number(source.steps[0]!.due.slice(0, 4)) + 1));
  });
  it('when an area and an indicator are added without keys, then their keys are made and the scorecard, its chart and export show their names', async function () {
    this.timeout(60_000);
    const { db, agent } = await world();
    const fw = `/assessment/${YEAR}/framework`;
    expect((await submit(agent, `${fw}/areas/new`, `${fw}/areas`, { zh: '乡村建设' })).status).to.equal(302);
    const area = getFramework(db, YEAR).doc.content.areas.at(-1)!;
    expect(area).to.deep.include({ name: { zh: '乡村建设', en: '乡村建设' } });
    const added = await submit(agent, `${fw}/indicators/new?area=${area.key}`, `${fw}/indicators`, {
      zh: '示范村建设',
      points: '5',
      scoring: 'boolean',
      measure: 'workshops',
    });
    expect(added.status).to.equal(302);
    const ind = getFramework(db, YEAR).doc.content.indicators.at(-1)!;
    expect(ind).to.deep.include({ area: area.key, name: { zh: '示范村建设', en: '示范村建设' }, side: 'both' });
    const card = await agent.get(`/assessment/${YEAR}/scorecards/r.assisting.320000`);
    expect(card.text).to.contain('示范村建设').and.to.contain('乡村建设');
    expect(card.text).to.not.contain(`area.${area.key}`);
    const csv = await agent.get(`/assessment/${YEAR}/scorecards/r.assisting.320000/export.csv`);
    expect(csv.text).to.contain('乡村建设').and.to.not.contain(`area.${area.key}`);
  });
});
