import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { yearBasis } from './assessment.basis.ts';
import { computedYear } from './assessment.cache.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { YearResults } from './assessment.compute.ts';
import { decideInput, indicatorFacts, type IndicatorFacts, type InputAction, type YearFacts } from './assessment.policy.ts';

/**
 * The facts the year-level policy reads, loaded once per request. What comes from the scorecards
 * (blockers, digest) is taken from the computation the page already made when given, and is
 * otherwise computed once, on first need.
 */
export function yearFacts(db: Db, year: number, known?: YearResults): YearFacts {
  const basis = yearBasis(db, year);
  const round = basis.round ?? null;
  let results = known;
  const computed = () => (results ??= computedYear(db, year).results());
  const framework = basis.framework;
  const teams = framework?.doc.organisation.teams ?? [];
  return {
    framework: framework !== undefined,
    crew: new Set(teams.flatMap((t) => [...t.evaluators, ...(t.lead === null ? [] : [t.lead])])),
    round: round && {
      stage: round.stage,
      ownerId: round.ownerId,
      publishProposedBy: round.publishProposedBy,
      proposalDigest: proposalOf(round.snapshot)?.digest ?? null,
    },
    selfAuthors: () => basis.selfAuthors,
    blockers: () => computed().blockers,
    digest: () => computed().digest,
  };
}

/**
 * The same facts as if the scorecards raised nothing (none missing, the proposal current): the cheap
 * checks a service makes before computing the scorecards once, for both its last check and its write.
 */
export function factsBeforeScoring(db: Db, year: number): YearFacts {
  const facts = yearFacts(db, year);
  const digest = facts.round?.proposalDigest ?? '';
  return { ...facts, blockers: () => ({ flagged: 0, missing: [] }), digest: () => digest };
}

/**
 * Until publication the round's snapshot column holds the pending proposal: the digest of the
 * scorecards it proposed. Publication replaces it with the frozen results.
 */
export interface Proposal {
  proposal: { digest: string };
}

function proposalOf(snapshot: unknown): Proposal['proposal'] | undefined {
  const p = (snapshot as Partial<Proposal> | null)?.proposal;
  return typeof p?.digest === 'string' ? p : undefined;
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
  const basis = yearBasis(db, year);
  const { framework, round } = basis;
  if (!framework) throw new NotFoundError();
  const { doc } = framework;
  const obj = basis.facts(key);
  const stage = round?.stage ?? null;
  const can = (action: InputAction, indicator?: IndicatorFacts) => decideInput(actor, stage, obj, action, indicator) === null;
  const judgedIndicators = doc.content.indicators.filter((i) => i.rule.type === 'judged');
  const has = (indicatorKey: string, kind: string) => inputs.some((x) => x.kind === kind && x.indicatorKey === indicatorKey);
  const answeredByOther = (indicatorKey: string) =>
    inputs.some((x) => x.kind === 'reply' && x.indicatorKey === indicatorKey && x.userId !== actor.id);
  // the object-level decisions once (each refusal is an error object: 14 indicators × 7 actions of them
  // made a third of the scorecard's time), then per indicator what its own inputs add
  const object = {
    judge: can('judge'),
    markNa: can('markNa'),
    selfAssess: can('selfAssess'),
    opine: can('opine'),
    object: can('object'),
    reply: can('reply'),
    leads: can('moderate', { judged: true, spread: true, scoredByActor: false }),
  };
  const indicators = Object.fromEntries(
    doc.content.indicators.map((i) => [
      i.key,
      {
        judge: i.rule.type === 'judged' && object.judge,
        markNa: object.markNa,
        moderate: object.leads && i.rule.type === 'judged' && can('moderate', indicatorFacts(doc, inputs, key, i.key, actor.id)),
        selfAssess: object.selfAssess,
        // the paired side gives its view of what the assessed side said of itself
        opine: object.opine && has(i.key, 'self'),
        // an objection on a counted score, not yet answered; an answer to an objection, by its one author
        object: object.object && !has(i.key, 'na') && !has(i.key, 'reply'),
        reply: object.reply && has(i.key, 'objection') && !has(i.key, 'na') && !answeredByOther(i.key),
      },
    ]),
  );
  return {
    selfAssess: object.selfAssess,
    feedback: can('feedback'),
    veto: doc.grading.vetoes.length > 0 && can('veto'),
    uploadSelfEvidence: can('uploadSelfEvidence'),
    uploadJudgedEvidence: judgedIndicators.length > 0 && can('uploadJudgedEvidence'),
    uploadObjectionEvidence: can('uploadObjectionEvidence'),
    indicators,
  };
}
