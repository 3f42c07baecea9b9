import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { blockersOf, computeYear, getFramework } from './assessment.compute.ts';
import {
  decideInput,
  indicatorFacts,
  objectFacts,
  pairingSidesOf,
  type IndicatorFacts,
  type InputAction,
  type YearFacts,
} from './assessment.policy.ts';
import * as q from './assessment.queries.ts';

/**
 * The facts the year-level policy reads, loaded once per request. The blockers come from the
 * scorecards the page already computed when given, and are otherwise computed on first need.
 */
export function yearFacts(db: Db, year: number, known?: ReturnType<typeof blockersOf>): YearFacts {
  const round = q.findRound(db, year) ?? null;
  let selfAuthors: Set<number> | undefined;
  let blockers = known;
  return {
    framework: q.findFramework(db, year) !== undefined,
    round: round && { stage: round.stage, ownerId: round.ownerId, publishProposedBy: round.publishProposedBy },
    selfAuthors: () =>
      (selfAuthors ??= new Set(round ? q.inputsOf(db, round.id).flatMap((i) => (i.kind === 'self' ? [i.userId] : [])) : [])),
    blockers: () => (blockers ??= blockersOf(computeYear(db, year).groups)),
  };
}

/**
 * The scorecard's flags for the actor: what it may write on this object at this stage, and per
 * indicator whether it may judge, mark n/a or moderate it. One pass over the object's inputs.
 */
export function scorecardCapabilities(
  db: Db,
  actor: Actor,
  year: number,
  key: string,
  inputs: readonly { kind: string; objectKey: string; indicatorKey: string; userId: number; score: number | null }[],
) {
  const round = q.findRound(db, year);
  const { doc } = getFramework(db, year);
  const obj = objectFacts(doc, key, pairingSidesOf(db, doc));
  const stage = round?.stage ?? null;
  const can = (action: InputAction, indicator?: IndicatorFacts) => decideInput(actor, stage, obj, action, indicator) === null;
  const judgedIndicators = doc.content.indicators.filter((i) => i.rule.type === 'judged');
  const indicators = Object.fromEntries(
    doc.content.indicators.map((i) => [
      i.key,
      {
        judge: i.rule.type === 'judged' && can('judge'),
        markNa: can('markNa'),
        moderate: can('moderate', indicatorFacts(doc, inputs, key, i.key, actor.id)),
      },
    ]),
  );
  return {
    selfAssess: can('selfAssess'),
    feedback: can('feedback'),
    veto: doc.grading.vetoes.length > 0 && can('veto'),
    uploadSelfEvidence: can('uploadSelfEvidence'),
    uploadJudgedEvidence: judgedIndicators.length > 0 && can('uploadJudgedEvidence'),
    indicators,
  };
}
