import { expect } from 'chai';
import type { Agent } from 'supertest';
import { proposePublish } from '../../server/assessment/assessment.publish.ts';
import { submitInput } from '../../server/assessment/assessment.rounds.ts';
import { getFramework } from '../../server/assessment/assessment.service.ts';
import { csrfFor, loginAs } from '../support/app.ts';
import { formsOf } from '../support/forms.ts';
import { actorOf, assessmentWorld, openAt, round, scoreEverything, setStage } from './assessment.support.ts';

/** The assessment POST forms of a page, each as the identities it can submit (one per option of an indicator select). */
function assessmentForms(html: string): { id: string; action: string }[] {
  return formsOf(html)
    .filter((f) => f.method === 'post' && f.action.startsWith('/assessment'))
    .flatMap((f) => {
      const kinds = f.action.includes('/evidence') ? ['evidence'] : (f.options.kind ?? [f.fields.kind ?? '']);
      const indicators = f.options.indicatorKey ?? [f.fields.indicatorKey ?? ''];
      return kinds.flatMap((kind) =>
        indicators.map((ind) => ({
          id: identity(f.action.split('?')[0]!, f.fields.objectKey ?? '', kind, ind),
          action: f.action,
        })),
      );
    });
}

const identity = (action: string, objectKey = '', kind = '', indicatorKey = '') =>
  [action, objectKey, kind, indicatorKey].join('|');

const OBJECTS = ['r.assisting.320000', 'r.assisted.520000'];
const STAGES = ['none', 'self', 'crosscheck', 'comprehensive', 'feedback', 'proposed', 'published'] as const;
const PDF = Buffer.from('%PDF-1.4\n% 佐证\n%%EOF\n');

/** A world at one stage: eva.js (bound to 江苏) joins the team that does not assess 江苏. */
async function worldAt(stage: (typeof STAGES)[number]) {
  const world = await assessmentWorld();
  const { db, users } = world;
  const doc = getFramework(db, 2024).doc;
  doc.organisation.teams[0]!.evaluators.push(users.evaJs.id);
  db.$client.prepare('UPDATE assessment_frameworks SET doc = ? WHERE year = 2024').run(JSON.stringify(doc));
  if (stage === 'none') return world;
  openAt(db, 2024, 'self');
  if (stage === 'self') {
    // the admin wrote a self-assessment: it cannot accept the stage
    submitInput(db, actorOf(users.admin), 2024, { kind: 'self', objectKey: OBJECTS[0]!, indicatorKey: '', text: '自评报告' });
    return world;
  }
  setStage(db, 2024, 'crosscheck');
  if (stage === 'crosscheck') return world;
  scoreEverything(db, 2024, actorOf(users.eva));
  if (stage === 'comprehensive') {
    const spread = { kind: 'judged' as const, objectKey: OBJECTS[0]!, indicatorKey: 'innovation', score: 5, text: '评分分歧' };
    submitInput(db, actorOf(users.eve), 2024, spread);
  }
  setStage(db, 2024, stage === 'comprehensive' ? 'comprehensive' : 'feedback');
  if (stage === 'proposed') proposePublish(db, actorOf(users.eva), 2024, round(db).version);
  if (stage === 'published') setStage(db, 2024, 'published');
  return world;
}

type Candidate = { id: string; send: (agent: Agent, token: string, action?: string) => Promise<{ status: number }> };

function candidates(db: Awaited<ReturnType<typeof worldAt>>['db'], ownerId: number): Candidate[] {
  const form = (path: string, body: () => Record<string, string>, ...idParts: string[]): Candidate => ({
    id: identity(path, ...idParts),
    send: (agent, token) =>
      agent
        .post(path)
        .type('form')
        .send({ _csrf: token, ...body() }),
  });
  const roundVersion = () => String((round(db) as ReturnType<typeof round> | undefined)?.version ?? 1);
  const fw = () => getFramework(db, 2024);
  const grading = () => {
    const { doc, version } = fw();
    return {
      good: String(doc.grading.cutoffs.good),
      fairlyGood: String(doc.grading.cutoffs.fairlyGood),
      average: String(doc.grading.cutoffs.average),
      quota: doc.grading.quotaGoodPercent === null ? '' : String(doc.grading.quotaGoodPercent),
      tolerance: String(doc.content.judgedTolerancePercent),
      version: String(version),
    };
  };
  // the framework page's up/down buttons, one form per area and per indicator
  const moves = () => {
    const { doc } = fw();
    const move = (kind: string, key: string) =>
      form(`/assessment/2024/framework/${kind}/${key}/move`, () => ({ direction: 'down', version: String(fw().version) }));
    return [
      ...doc.content.areas.map((a) => move('areas', a.key)),
      ...doc.content.indicators.map((i) => move('indicators', i.key)),
    ];
  };
  const list: Candidate[] = [
    form('/assessment/frameworks', () => ({ year: '2026' })),
    form('/assessment/2024/framework', () => ({ doc: JSON.stringify(fw().doc), version: String(fw().version) })),
    form('/assessment/2024/framework/grading', grading),
    ...moves(),
    form('/assessment/2024/round', () => ({})),
    form('/assessment/2024/advance', () => ({ version: roundVersion() })),
    form('/assessment/2024/return', () => ({ version: roundVersion(), reason: '需要复核' })),
    form('/assessment/2024/owner', () => ({ version: roundVersion(), ownerId: String(ownerId) })),
    form('/assessment/2024/publish/propose', () => ({ version: roundVersion() })),
    form('/assessment/2024/publish/withdraw', () => ({ version: roundVersion() })),
    form('/assessment/2024/publish', () => ({ version: roundVersion(), confirm: 'yes' })),
  ];
  const inputs: [string, string][] = [
    ['judged', 'innovation'],
    ['judged', 'org.leadership'],
    ['na', 'consumption.purchases'],
    ['na', 'innovation'],
    ['moderated', 'innovation'],
    ['moderated', 'org.leadership'],
    ['veto', 'veto.misuse'],
    ['self', ''],
    ['feedback', ''],
  ];
  for (const objectKey of OBJECTS) {
    for (const [kind, indicatorKey] of inputs)
      list.push(
        form(
          '/assessment/2024/inputs',
          () => ({ objectKey, kind, indicatorKey, score: '2', text: '核查意见' }),
          objectKey,
          kind,
          indicatorKey,
        ),
      );
    for (const indicatorKey of ['', 'innovation'])
      list.push({
        id: identity('/assessment/2024/evidence', objectKey, 'evidence', indicatorKey),
        send: (agent, token, action) =>
          agent
            .post(action ?? '/assessment/2024/evidence')
            .field('_csrf', token)
            .field('objectKey', objectKey)
            .field('indicatorKey', indicatorKey)
            .attach('file', PDF, { filename: '佐证.pdf', contentType: 'application/pdf' }),
      });
  }
  return list;
}

describe('assessment pages show a form exactly when the server accepts it', () => {
  for (const stage of STAGES) {
    it(`when each kind of user looks at 2024 at stage “${stage}”, then every form shown is accepted and every accepted POST had its form`, async function () {
      this.timeout(120_000);
      const { app, db, users } = await worldAt(stage);
      const all = candidates(db, users.eve.id);
      const known = new Set(all.map((c) => c.id));
      const problems: string[] = [];
      const acceptedIds = new Set<string>();
      for (const [name, user] of Object.entries(users)) {
        const agent = await loginAs(app, user);
        const token = await csrfFor(agent, '/');
        const pages = [
          '/assessment',
          '/assessment/2024',
          '/assessment/2024/framework',
          '/assessment/2024/framework/json',
          '/assessment/2024/framework/grading',
          '/assessment/2024/publish',
          ...OBJECTS.map((k) => `/assessment/2024/scorecards/${k}`),
        ];
        const shown = new Map<string, string>();
        for (const page of pages) {
          const res = await agent.get(page);
          if (res.status !== 200) continue;
          for (const f of assessmentForms(res.text)) {
            if (/^\/assessment\/2024\/(inputs|evidence)\|/.test(f.id) && !known.has(f.id)) continue; // indicators this walk does not try
            if (!known.has(f.id)) problems.push(`${name}: unexpected form ${f.id} on ${page}`);
            shown.set(f.id, f.action);
          }
        }
        for (const c of all) {
          db.$client.exec('BEGIN');
          let status: number;
          try {
            status = (await c.send(agent, token, shown.get(c.id))).status;
          } finally {
            db.$client.exec('ROLLBACK');
          }
          const accepted = status === 302 || status === 303; // Post/Redirect/Get, either code
          if (accepted) acceptedIds.add(`${name} ${c.id}`);
          if (accepted !== shown.has(c.id))
            problems.push(`${name}: ${c.id} ${shown.has(c.id) ? 'shown' : 'not shown'} but answered ${status}`);
        }
      }
      expect(problems, problems.join('\n')).to.deep.equal([]);
      if (process.env.SHOW_ACCEPTED) console.log(stage, [...acceptedIds].sort());
      // once published, only an admin's new year is left to accept
      expect(acceptedIds.size, 'a walk that accepts nothing proves nothing').to.be.greaterThan(stage === 'published' ? 0 : 3);
    });
  }

  it('when a year is published, then its framework page has no forms and its framework POSTs are refused', async () => {
    const { app, db, users } = await worldAt('published');
    for (const user of [users.admin, users.eva]) {
      const agent = await loginAs(app, user);
      const page = await agent.get('/assessment/2024/framework');
      expect(page.status).to.equal(200);
      expect(page.text).to.not.match(/<form[^>]*method="post"[^>]*action="\/assessment/);
      const token = await csrfFor(agent, '/');
      const { doc, version } = getFramework(db, 2024);
      const saved = await agent
        .post('/assessment/2024/framework')
        .type('form')
        .send({ _csrf: token, doc: JSON.stringify(doc), version: String(version) });
      expect(saved.status).to.equal(409);
      const weights = await agent
        .post('/assessment/2024/framework/grading')
        .type('form')
        .send({
          _csrf: token,
          version: String(version),
          good: '90',
          fairlyGood: '80',
          average: '60',
          quota: '',
          tolerance: '20',
        });
      expect(weights.status).to.equal(409);
    }
  });
});
