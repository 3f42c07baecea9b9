import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { objectKeys } from '../assessment/assessment.framework.ts';
import { factsBeforeScoring, yearFacts } from '../assessment/assessment.facts.ts';
import { decideInput, decideYear } from '../assessment/assessment.policy.ts';
import { yearBasis } from '../assessment/assessment.basis.ts';
import { confirmPublish, proposePublish } from '../assessment/assessment.publish.ts';
import { advanceRound, openRound, submitInput } from '../assessment/assessment.rounds.ts';
import { createFramework, getFramework } from '../assessment/assessment.service.ts';
import { loadSessionUser } from '../auth/auth.service.ts';
import { SYSTEM, type Actor } from '../lib/actor.ts';
import { createRandom } from './demo.random.ts';
import { seedObjection, seedSelfAndOpinions } from './demo.sides.ts';

/**
 * Demo assessment: a framework for each year 2021–2025 (and to `openYear`; illustrative weights),
 * the rounds before `openYear` (2024 for the tests; the app's demo opens its last year) carried through to published with judged scores — publication proposed by the demo
 * evaluator (a member of the year's teams) and confirmed by the demo admin, the two people publishing takes — and the `openYear` round
 * open at self-assessment for the demo evaluator to work through. Without evaluators the earlier
 * rounds wait at comprehensive evaluation (every judged score is given before feedback); without
 * an admin as well they stop at feedback. The seed acts as the real accounts (their scope read as at
 * sign-in), so each score is given by an evaluator the policy lets judge that object.
 */
export function seedAssessment(db: Db, openYear = 2024) {
  if ((db.get<{ n: number }>(sql`SELECT count(*) AS n FROM assessment_frameworks`)?.n ?? 0) > 0) return;
  const idsOf = (role: string) =>
    db.all<{ id: number }>(sql`SELECT id FROM users WHERE role = ${role} AND active = 1 ORDER BY id`).map((u) => u.id);
  const actorsOf = (role: string): Actor[] => idsOf(role).flatMap((id) => loadSessionUser(db, id) ?? []);
  const evaluators = actorsOf('evaluator');
  const admin = actorsOf('admin')[0];
  const rnd = createRandom(2024);
  for (let year = 2021; year <= Math.max(2025, openYear); year++)
    createFramework(
      db,
      SYSTEM,
      year,
      evaluators.map((e) => e.id),
    );
  for (let year = 2021; year < openYear; year++) {
    const round = openRound(db, SYSTEM, year);
    let version = round.version;
    const last = year === openYear - 1;
    if (last) seedSelfAndOpinions(db, year);
    advanceRound(db, SYSTEM, year, version++); // → cross-check
    const { doc } = getFramework(db, year);
    const judged = doc.content.indicators.filter((i) => i.rule.type === 'judged');
    for (const objectKey of objectKeys(doc)) {
      const facts = yearBasis(db, year).facts(objectKey);
      const judge = evaluators.find((e) => decideInput(e, 'crosscheck', facts, 'judge') === null);
      if (!judge) continue;
      for (const ind of judged)
        submitInput(db, judge, year, {
          kind: 'judged',
          objectKey,
          indicatorKey: ind.key,
          score: Math.round(ind.points * rnd.int(65, 98)) / 100,
          text: '现场核查：台账齐全，工作扎实。',
        });
    }
    advanceRound(db, SYSTEM, year, version++); // → comprehensive
    // without evaluators to give every judged score, the round waits at comprehensive evaluation
    if (decideYear(SYSTEM, yearFacts(db, year), 'advance') !== null) continue;
    advanceRound(db, SYSTEM, year, version++); // → feedback
    const answering = evaluators.find(
      (e) => decideInput(e, 'feedback', yearBasis(db, year).facts('r.assisted.610000'), 'reply') === null,
    );
    if (last && answering) seedObjection(db, year, answering);
    // the proposer is an evaluator the year's organisation gives a part in the round (a team member)
    const facts = factsBeforeScoring(db, year);
    const proposer = evaluators.find((e) => decideYear(e, facts, 'proposePublish') === null);
    if (proposer && admin) {
      proposePublish(db, proposer, year, version);
      confirmPublish(db, admin, year, version + 1, true);
    }
  }
  openRound(db, SYSTEM, openYear);
  seedSelfAndOpinions(db, openYear);
}
