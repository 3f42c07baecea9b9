import { expect } from 'chai';
import type { Agent } from 'supertest';
import type { Db } from '../../db/client.ts';
import { proposePublish, confirmPublish } from '../../server/assessment/assessment.publish.ts';
import { advanceRound, openRound, submitInput } from '../../server/assessment/assessment.rounds.ts';
import { getFramework } from '../../server/assessment/assessment.service.ts';
import type { Actor } from '../../server/lib/actor.ts';
import { loginAs } from './app.ts';
import { formFor } from './forms.ts';

type App = Parameters<typeof loginAs>[0];

/**
 * Makes an access token as a user does: signs in, opens the profile page, sends its form, and
 * reads the token off the page that answers (the only place it is ever shown).
 */
export async function tokenFor(app: App, user: { username: string; password: string }, changes: Record<string, string> = {}) {
  const agent = await loginAs(app, user);
  const page = await agent.get('/account');
  expect(page.status).to.equal(200);
  const form = formFor(page.text, '/account/tokens');
  if (!form) throw new Error('the profile page offers no token form');
  const body = { ...form.fields, name: '统计脚本', ...changes };
  const res = await agent.post('/account/tokens').type('form').send(body);
  expect(res.status, 'the token is shown on the answer to the form').to.equal(200);
  const token = /id="new-token"[^>]*value="([^"]+)"/.exec(res.text)?.[1];
  if (!token) throw new Error('no token on the page');
  const id = Number(/\/account\/tokens\/(\d+)\/revoke/.exec(res.text)?.[1]);
  return { agent, token, id, body, page: res };
}

/** The round opened, every judged indicator scored, the round moved on to feedback, proposed by one evaluator and confirmed by another. */
export function publishYear(db: Db, year: number, evaluators: { first: Actor; second: Actor }) {
  openRound(db, evaluators.first, year);
  let v = 1;
  advanceRound(db, evaluators.first, year, v++); // → cross-check
  const { doc } = getFramework(db, year);
  const judged = doc.content.indicators.filter((i) => i.rule.type === 'judged');
  for (const objectKey of new Set(doc.organisation.teams.flatMap((t) => t.assigned)))
    for (const ind of judged)
      submitInput(db, evaluators.first, year, { kind: 'judged', objectKey, indicatorKey: ind.key, score: 2, text: '核查意见' });
  advanceRound(db, evaluators.first, year, v++); // → comprehensive
  advanceRound(db, evaluators.first, year, v++); // → feedback
  proposePublish(db, evaluators.first, year, v++);
  confirmPublish(db, evaluators.second, year, v, true);
}

/** A request to the API with a bearer token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
export type { Agent };
