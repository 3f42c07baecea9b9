import { createFramework } from '../../server/assessment/assessment.service.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { viaForm, type RouteWorld, type Submission } from './routes.support.ts';

/**
 * How a user sends each POST of the framework's forms (issue 12, item 1), for the route-table audit
 * suite: the page that offers the form and what is typed. All work on 2027 at self-assessment (set
 * up by `ready`); each example makes what it removes, so the order they run in does not matter.
 */
let seq = 0;
export function frameworkExamples(ready: (w: RouteWorld) => void): Record<string, (w: RouteWorld) => Promise<Submission>> {
  const fw = '/assessment/2027/framework';
  const on = (w: RouteWorld, page: string, action: string, changes: Record<string, string> = {}) => {
    ready(w);
    return viaForm(w, 'evaluator', page, action, changes);
  };
  const indicator = { zh: '新增指标', area: 'funds', points: '5', side: 'both', scoring: 'judged' };
  return {
    'POST /assessment/:year/framework': (w) => on(w, `${fw}/json`, fw),
    'POST /assessment/:year/framework/areas': (w) => on(w, `${fw}/areas/new`, `${fw}/areas`, { zh: `新方面${++seq}` }),
    'POST /assessment/:year/framework/areas/:area': (w) => on(w, `${fw}/areas/funds`, `${fw}/areas/funds`, { zh: '资金' }),
    'POST /assessment/:year/framework/areas/:area/move': (w) => on(w, fw, `${fw}/areas/funds/move`, { direction: 'down' }),
    'POST /assessment/:year/framework/areas/:area/remove': async (w) => {
      ready(w);
      const key = `gone${++seq}`;
      const made = await viaForm(w, 'evaluator', `${fw}/areas/new`, `${fw}/areas`, { zh: '将删除', key });
      await made.agent.post(made.url).type('form').send(made.body);
      return viaForm(w, 'evaluator', `${fw}/areas/${key}/remove`, `${fw}/areas/${key}/remove`);
    },
    'POST /assessment/:year/framework/indicators': (w) => on(w, `${fw}/indicators/new`, `${fw}/indicators`, indicator),
    'POST /assessment/:year/framework/indicators/:indicator': (w) =>
      on(w, `${fw}/indicators/innovation`, `${fw}/indicators/innovation`, { points: '6' }),
    'POST /assessment/:year/framework/indicators/:indicator/move': (w) =>
      on(w, fw, `${fw}/indicators/funds.social/move`, { direction: 'up' }),
    'POST /assessment/:year/framework/indicators/:indicator/remove': async (w) => {
      ready(w);
      const key = `funds.gone${++seq}`;
      const made = await viaForm(w, 'evaluator', `${fw}/indicators/new`, `${fw}/indicators`, { ...indicator, key });
      await made.agent.post(made.url).type('form').send(made.body);
      return viaForm(w, 'evaluator', `${fw}/indicators/${key}/remove`, `${fw}/indicators/${key}/remove`);
    },
    'POST /assessment/:year/framework/grading': (w) => on(w, `${fw}/grading`, `${fw}/grading`, { tolerance: '25' }),
    'POST /assessment/:year/framework/vetoes': (w) => on(w, `${fw}/vetoes/new`, `${fw}/vetoes`, { name: `新事项${++seq}` }),
    'POST /assessment/:year/framework/vetoes/:veto': (w) =>
      on(w, `${fw}/vetoes/veto.misuse`, `${fw}/vetoes/veto.misuse`, { name: '资金挪用' }),
    'POST /assessment/:year/framework/vetoes/:veto/remove': async (w) => {
      ready(w);
      const key = `veto.gone${++seq}`;
      const made = await viaForm(w, 'evaluator', `${fw}/vetoes/new`, `${fw}/vetoes`, { name: '将删除', key });
      await made.agent.post(made.url).type('form').send(made.body);
      return viaForm(w, 'evaluator', `${fw}/vetoes/${key}/remove`, `${fw}/vetoes/${key}/remove`);
    },
    'POST /assessment/:year/framework/reset': (w) => {
      ready(w);
      if (!w.db.$client.prepare('SELECT 1 FROM assessment_frameworks WHERE year = 2026').get())
        createFramework(w.db, SYSTEM, 2026, [w.users.evaluator.id]);
      return viaForm(w, 'evaluator', `${fw}/reset`, `${fw}/reset`);
    },
  };
}
