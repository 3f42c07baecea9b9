import type { RoundStage } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, type AppError } from '../lib/errors.ts';

/**
 * Who may do what in the yearly assessment, decided here and nowhere else: the year-level decisions
 * below, the object-level ones (scorecards and their inputs) in assessment.policy.objects.ts,
 * re-exported so that the domain's policy is one import. Each decision returns null (allowed) or
 * the error a service throws; capability flags are the same decisions seen as booleans, so a page
 * shows a form exactly when the server would accept it.
 */
export {
  canUploadEvidence,
  decideInput,
  evidenceAction,
  indicatorFacts,
  objectFacts,
  overlaps,
  pairingSidesOf,
  partnersOf,
  regionOfKey,
  seesObject,
  teamIndex,
  type IndicatorFacts,
  type InputAction,
  type ObjectFacts,
} from './assessment.policy.objects.ts';

export const isAssessor = (actor: Actor) => actor.role === 'admin' || actor.role === 'evaluator';

export interface RoundFacts {
  stage: RoundStage;
  ownerId: number | null;
  publishProposedBy: number | null;
  /** The digest of the scorecards as they were when publication was proposed (null: none recorded). */
  proposalDigest: string | null;
}

export interface MissingItem {
  key: string;
  object: string;
  indicators: { key: string; name: { zh: string; en: string }; reason: 'pending' | 'flagged' }[];
}

/** What year-level decisions depend on; the costly parts are computed only when a decision asks. */
export interface YearFacts {
  framework: boolean;
  /** The members and leads of the year's teams: the evaluators the organisation gives a part in the round. */
  crew: ReadonlySet<number>;
  round: RoundFacts | null;
  selfAuthors: () => ReadonlySet<number>;
  blockers: () => { flagged: number; missing: MissingItem[] };
  /** The digest of the scorecards computed from the live records now. */
  digest: () => string;
}

export const YEAR_ACTIONS = [
  'editFramework',
  'editOrganisation',
  'nameOwner',
  'openRound',
  'advance',
  'return',
  'proposePublish',
  'withdrawPublish',
  'confirmPublish',
] as const;
export type YearAction = (typeof YEAR_ACTIONS)[number];

/**
 * Only an admin starts a year's framework: it is copied with last year's organisation (who is in
 * which team), and roles are given, never taken; the admin then names the round's owner.
 */
export function decideCreateFramework(actor: Actor): AppError | null {
  return actor.role === 'admin' ? null : new ForbiddenError('assessment.adminCreatesFramework');
}

const ROUND_MOVES: ReadonlySet<YearAction> = new Set([
  'openRound',
  'advance',
  'return',
  'proposePublish',
  'withdrawPublish',
  'confirmPublish',
]);

/**
 * Who moves the national round: an admin, the round's named owner, and the members and leads of the
 * year's teams. An evaluator in none of them (bound to a province or not) moves nothing. A member
 * is never bound to a region its team assesses (assessment.organisation.ts), but may be bound to
 * another: such a member moves the round for every province, its own included.
 */
function movesRound(actor: Actor, f: YearFacts): boolean {
  return actor.role === 'admin' || (f.round !== null && f.round.ownerId === actor.id) || f.crew.has(actor.id);
}

export const canCreateFramework = (actor: Actor) => decideCreateFramework(actor) === null;

/**
 * A publication proposal that no longer matches the live scorecards: a record or an input changed
 * after it was made, so confirming it would freeze something its proposer never saw.
 */
export function proposalStale(f: YearFacts): boolean {
  const r = f.round;
  return r !== null && r.stage === 'feedback' && r.publishProposedBy !== null && r.proposalDigest !== f.digest();
}

export function decideYear(actor: Actor, f: YearFacts, action: YearAction): AppError | null {
  if (!isAssessor(actor)) return new ForbiddenError();
  if (ROUND_MOVES.has(action) && !movesRound(actor, f)) return new ForbiddenError('assessment.roundMovers');
  const r = f.round;
  const published = r?.stage === 'published';
  switch (action) {
    case 'editFramework':
      if (!f.framework) return new NotFoundError();
      if (published) return new ConflictError('assessment.publishedFrozen');
      if (r && r.publishProposedBy !== null) return new ConflictError('assessment.proposalPending');
      return null;
    case 'editOrganisation':
      // Roles are given, never taken: teams, members and assignments are set by an admin or the round's owner.
      return (
        decideYear(actor, f, 'editFramework') ??
        (actor.role === 'admin' || (r !== null && r.ownerId === actor.id)
          ? null
          : new ForbiddenError('assessment.organisationLocked'))
      );
    case 'nameOwner':
      if (actor.role !== 'admin') return new ForbiddenError();
      if (!r) return new NotFoundError();
      return published ? new ConflictError('assessment.publishedFrozen') : null;
    case 'openRound':
      if (!f.framework) return new NotFoundError();
      return r ? new ConflictError('assessment.roundExists') : null;
    case 'advance':
      if (!r) return new NotFoundError();
      if (published) return new ConflictError('assessment.alreadyPublished');
      if (r.stage === 'feedback') return new ConflictError('assessment.publishNeedsProposal');
      if (r.stage === 'self' && f.selfAuthors().has(actor.id)) return new ConflictError('assessment.selfApproval');
      if (r.stage === 'comprehensive') {
        const { flagged, missing } = f.blockers();
        if (flagged > 0) return new ConflictError('assessment.unresolvedFlags', { n: flagged });
        // feedback shows the sides their scores: every required score is given before it starts
        if (missing.length > 0) return new ConflictError('assessment.missingScores', { n: missing.length });
      }
      return null;
    case 'return':
      if (!r) return new NotFoundError();
      return r.stage === 'self' || published ? new ConflictError('assessment.cannotReturn') : null;
    case 'proposePublish':
    case 'confirmPublish': {
      if (!r) return new NotFoundError();
      if (r.stage !== 'feedback') return new ConflictError(published ? 'assessment.alreadyPublished' : 'assessment.wrongStage');
      // four eyes need two real people: the seed scripts' SYSTEM actor is nobody
      if (actor.id <= 0) return new ForbiddenError();
      if (action === 'proposePublish' && r.publishProposedBy !== null) return new ConflictError('assessment.alreadyProposed');
      if (action === 'confirmPublish' && r.publishProposedBy === null) return new ConflictError('assessment.noProposal');
      if (action === 'confirmPublish' && r.publishProposedBy === actor.id) return new ConflictError('assessment.ownProposal');
      // the page lists what is missing, each name in the reader's language; the message only counts
      const { missing } = f.blockers();
      if (missing.length > 0) return new ConflictError('assessment.missingScores', { n: missing.length });
      // the confirmer approves what was proposed, not whatever the records say by now
      if (action === 'confirmPublish' && proposalStale(f)) return new ConflictError('publish.changedSinceProposal');
      return null;
    }
    case 'withdrawPublish':
      if (!r) return new NotFoundError();
      if (r.stage !== 'feedback' || r.publishProposedBy === null) return new ConflictError('assessment.noProposal');
      // a proposal overtaken by the records can no longer be confirmed: any assessor may clear it
      return actor.role === 'admin' || r.publishProposedBy === actor.id || proposalStale(f) ? null : new ForbiddenError();
  }
}

export function yearCapabilities<A extends YearAction>(actor: Actor, f: YearFacts, actions: readonly A[]): Record<A, boolean> {
  return Object.fromEntries(actions.map((a) => [a, decideYear(actor, f, a) === null])) as Record<A, boolean>;
}

export function enforce(error: AppError | null): void {
  if (error) throw error;
}
