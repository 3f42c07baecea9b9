import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { confirmPublish, proposePublish } from '../assessment/assessment.publish.ts';
import { advanceRound, openRound, submitInput } from '../assessment/assessment.rounds.ts';
import { createFramework, getFramework } from '../assessment/assessment.service.ts';
import { SYSTEM, type Actor } from '../lib/actor.ts';
import { createRandom } from './demo.random.ts';

/**
 * Demo assessment: a framework for each year 2021–2025 (illustrative weights), the rounds of
 * 2021–2023 carried through to published with judged scores — publication proposed by the demo
 * evaluator and confirmed by the demo admin, the two people publishing takes — and the 2024 round
 * open at self-assessment for the demo evaluator to work through. Without both accounts the
 * earlier rounds stop at feedback.
 */
export function seedAssessment(db: Db) {
  if ((db.get<{ n: number }>(sql`SELECT count(*) AS n FROM assessment_frameworks`)?.n ?? 0) > 0) return;
  const idsOf = (role: string) =>
    db.all<{ id: number }>(sql`SELECT id FROM users WHERE role = ${role} AND active = 1 ORDER BY id`).map((u) => u.id);
  const evaluators = idsOf('evaluator');
  const admins = idsOf('admin');
  const rnd = createRandom(2024);
  for (let year = 2021; year <= 2025; year++) createFramework(db, SYSTEM, year, evaluators);
  const evaluator: Actor | undefined = evaluators[0] ? { id: evaluators[0], role: 'evaluator', scope: null } : undefined;
  const admin: Actor | undefined = admins[0] ? { id: admins[0], role: 'admin', scope: null } : undefined;
  for (let year = 2021; year <= 2023; year++) {
    const round = openRound(db, SYSTEM, year);
    let version = round.version;
    advanceRound(db, SYSTEM, year, version++); // → cross-check
    if (evaluator) {
      const { doc } = getFramework(db, year);
      const judged = doc.content.indicators.filter((i) => i.rule.type === 'judged');
      for (const team of doc.organisation.teams) {
        for (const objectKey of team.assigned) {
          for (const ind of judged)
            submitInput(db, evaluator, year, {
              kind: 'judged',
              objectKey,
              indicatorKey: ind.key,
              score: Math.round(ind.points * rnd.int(65, 98)) / 100,
              text: '现场核查：台账齐全，工作扎实。',
            });
        }
      }
    }
    for (let step = 0; step < 2; step++) advanceRound(db, SYSTEM, year, version++); // → comprehensive → feedback
    if (evaluator && admin) {
      proposePublish(db, evaluator, year, version);
      confirmPublish(db, admin, year, version + 1, true);
    }
  }
  openRound(db, SYSTEM, 2024);
}
