import { objectKeys } from '../../server/assessment/assessment.framework.ts';
import { proposePublish } from '../../server/assessment/assessment.publish.ts';
import { openRound, submitInput } from '../../server/assessment/assessment.rounds.ts';
import { createFramework, getFramework } from '../../server/assessment/assessment.service.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { viaForm, type RouteWorld, type Submission } from './routes.support.ts';
import { frameworkExamples } from './framework-examples.ts';

/**
 * How a user sends each assessment POST, for the route-table audit suite (spread into its
 * EXAMPLES): the page that offers the form and what the user types. Each example sets up the stage
 * it needs on its own (in a year of its own where the stage matters), so the order they run in does
 * not matter. The evidence upload is multipart and is left to the upload examples.
 */
const actor = (w: RouteWorld, who: 'admin' | 'evaluator'): Actor => ({ id: w.users[who].id, role: who, scope: null });
const stageOf = (w: RouteWorld, year: number) =>
  (w.db.$client.prepare('SELECT stage FROM assessment_rounds WHERE year = ?').get(year) as { stage: string } | undefined)?.stage;
const setStage = (w: RouteWorld, year: number, stage: string) =>
  w.db.$client.prepare('UPDATE assessment_rounds SET stage = ?, version = version + 1 WHERE year = ?').run(stage, year);

/** A year of its own with a framework and a round at `stage` (set by SQL: the stage is the setting, not the act). */
function yearAt(w: RouteWorld, year: number, stage: string) {
  if (!w.db.$client.prepare('SELECT 1 FROM assessment_frameworks WHERE year = ?').get(year))
    createFramework(w.db, SYSTEM, year, [w.users.evaluator.id]);
  if (!stageOf(w, year)) openRound(w.db, SYSTEM, year);
  if (stageOf(w, year) !== stage) setStage(w, year, stage);
}

/** 2023 at feedback with every judged indicator scored (nothing missing), ready to be proposed. */
function readyToPublish(w: RouteWorld) {
  const year = 2023;
  if (stageOf(w, year) === 'feedback') return year;
  yearAt(w, year, 'crosscheck');
  const { doc } = getFramework(w.db, year);
  for (const objectKey of objectKeys(doc))
    for (const ind of doc.content.indicators.filter((i) => i.rule.type === 'judged'))
      submitInput(w.db, actor(w, 'admin'), year, {
        kind: 'judged',
        objectKey,
        indicatorKey: ind.key,
        score: 1,
        text: '核查意见',
      });
  setStage(w, year, 'feedback');
  return year;
}

const proposed = (w: RouteWorld, year: number) =>
  (
    w.db.$client.prepare('SELECT publish_proposed_by AS p FROM assessment_rounds WHERE year = ?').get(year) as {
      p: number | null;
    }
  ).p;
const version = (w: RouteWorld, year: number) =>
  (w.db.$client.prepare('SELECT version FROM assessment_rounds WHERE year = ?').get(year) as { version: number }).version;

const FRAMEWORK_EXAMPLES = frameworkExamples((w) => yearAt(w, 2027, 'self'));

export const ASSESSMENT_EXAMPLES: Record<string, (w: RouteWorld) => Promise<Submission>> = {
  'POST /assessment/frameworks': (w) => {
    w.db.$client.prepare('DELETE FROM assessment_frameworks WHERE year = 2030').run();
    return viaForm(w, 'admin', '/assessment', '/assessment/frameworks', { year: '2030' });
  },
  'POST /assessment/:year/inputs': (w) => {
    yearAt(w, 2027, 'self');
    return viaForm(w, 'jiangsu', '/assessment/2027/scorecards/r.assisting.320000', '/assessment/2027/inputs', {
      text: '全年协议目标基本完成。',
    });
  },
  ...FRAMEWORK_EXAMPLES,
  'POST /assessment/:year/round': (w) => {
    if (!w.db.$client.prepare('SELECT 1 FROM assessment_frameworks WHERE year = 2028').get())
      createFramework(w.db, SYSTEM, 2028, [w.users.evaluator.id]);
    w.db.$client.prepare('DELETE FROM assessment_rounds WHERE year = 2028').run();
    return viaForm(w, 'evaluator', '/assessment/2028', '/assessment/2028/round');
  },
  'POST /assessment/:year/advance': (w) => {
    yearAt(w, 2029, 'crosscheck');
    return viaForm(w, 'evaluator', '/assessment/2029', '/assessment/2029/advance');
  },
  'POST /assessment/:year/return': (w) => {
    yearAt(w, 2029, 'crosscheck');
    return viaForm(w, 'evaluator', '/assessment/2029', '/assessment/2029/return', { reason: '材料需要补充' });
  },
  'POST /assessment/:year/owner': (w) => {
    yearAt(w, 2029, 'crosscheck');
    return viaForm(w, 'admin', '/assessment/2029', '/assessment/2029/owner', { ownerId: String(w.users.evaluator.id) });
  },
  'POST /assessment/:year/publish/propose': (w) => {
    const year = readyToPublish(w);
    if (proposed(w, year) !== null)
      w.db.$client
        .prepare('UPDATE assessment_rounds SET publish_proposed_by = NULL, publish_proposed_at = NULL WHERE year = ?')
        .run(year);
    return viaForm(w, 'evaluator', `/assessment/${year}`, `/assessment/${year}/publish/propose`);
  },
  'POST /assessment/:year/publish/withdraw': (w) => {
    const year = readyToPublish(w);
    if (proposed(w, year) === null) proposePublish(w.db, actor(w, 'evaluator'), year, version(w, year));
    return viaForm(w, 'admin', `/assessment/${year}`, `/assessment/${year}/publish/withdraw`);
  },
  'POST /assessment/:year/publish': (w) => {
    const year = readyToPublish(w);
    if (proposed(w, year) === null) proposePublish(w.db, actor(w, 'evaluator'), year, version(w, year));
    return viaForm(w, 'admin', `/assessment/${year}/publish`, `/assessment/${year}/publish`, { confirm: 'yes' });
  },
};
