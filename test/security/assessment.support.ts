import type { Agent } from 'supertest';
import type { Db } from '../../db/client.ts';
import { objectKeys } from '../../server/assessment/assessment.framework.ts';
import { openRound, submitInput } from '../../server/assessment/assessment.rounds.ts';
import { createFramework, getFramework } from '../../server/assessment/assessment.service.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/**
 * A 2024 assessment with the default two teams (江苏考核组 assesses everything but 江苏, 陕西 and
 * 青海; 广东考核组 assesses those three), both staffed by `eva` (lead) and `eve`; `eva.js` is an
 * evaluator bound to 江苏 in no team; an admin, 江苏's office and 陕西's liaison.
 */
export async function assessmentWorld() {
  const { app, db } = buildApp();
  const { county } = buildJiangsuShaanxi(db);
  buildRecord(db, 'funds', county.id);
  const users = {
    admin: await buildUser(db, { role: 'admin', username: 'root' }),
    eva: await buildUser(db, { role: 'evaluator', username: 'eva' }),
    eve: await buildUser(db, { role: 'evaluator', username: 'eve' }),
    evaJs: await buildUser(db, { role: 'evaluator', username: 'eva.js', regionCode: '320000' }),
    office: await buildUser(db, { role: 'staff', username: 'office.jiangsu', regionCode: '320000' }),
    liaison: await buildUser(db, { role: 'liaison', username: 'liaison.shaanxi', regionCode: '610000' }),
  };
  createFramework(db, SYSTEM, 2024, [users.eva.id, users.eve.id]);
  return { app, db, users };
}

export const actorOf = (u: { id: number; role: string; regionCode: string | null }): Actor => ({
  id: u.id,
  role: u.role as Actor['role'],
  scope: u.regionCode ? u.regionCode.replace(/(00)+$/, '') : null,
});

/** Moves a round by SQL (setting up a stage is not what these tests are about). */
export function setStage(db: Db, year: number, stage: string) {
  db.$client.prepare('UPDATE assessment_rounds SET stage = ?, version = version + 1 WHERE year = ?').run(stage, year);
}

/** Every judged indicator of every object scored by `by` (so nothing is missing), at cross-check. */
export function scoreEverything(
  db: Db,
  year: number,
  by: Actor,
  skip: (key: string, indicator: string) => boolean = () => false,
) {
  const { doc } = getFramework(db, year);
  const judged = doc.content.indicators.filter((i) => i.rule.type === 'judged');
  for (const objectKey of objectKeys(doc))
    for (const ind of judged) {
      if (skip(objectKey, ind.key)) continue;
      submitInput(db, by, year, {
        kind: 'judged',
        objectKey,
        indicatorKey: ind.key,
        score: ind.points / 2,
        text: '现场核查意见',
      });
    }
}

export function openAt(db: Db, year: number, stage: string) {
  openRound(db, SYSTEM, year);
  if (stage !== 'self') setStage(db, year, stage);
}

export function round(db: Db, year = 2024) {
  return db.$client.prepare('SELECT * FROM assessment_rounds WHERE year = ?').get(year) as {
    stage: string;
    version: number;
    snapshot: string | null;
    owner_id: number | null;
    publish_proposed_by: number | null;
    publish_proposed_at: number | null;
  };
}

export function auditCount(db: Db): number {
  return (db.$client.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
}

/** Logs in and returns the agent with a CSRF token from a page it may see. */
export async function session(app: Parameters<typeof loginAs>[0], user: { username: string; password: string }) {
  const agent: Agent = await loginAs(app, user);
  const token = await csrfFor(agent, '/');
  const post = (path: string, body: Record<string, string>) =>
    agent
      .post(path)
      .type('form')
      .send({ _csrf: token, ...body });
  return { agent, token, post };
}
