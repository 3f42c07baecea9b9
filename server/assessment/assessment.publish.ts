import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { computedYear } from './assessment.cache.ts';
import { factsBeforeScoring, yearFacts, type Proposal } from './assessment.facts.ts';
import { decideYear, enforce, proposalStale, yearCapabilities } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';
import { getRound } from './assessment.rounds.ts';
import { scorecard, yearResults } from './assessment.service.ts';

/**
 * Publishing takes two people. One assessor proposes it once nothing required is missing, and the
 * digest of the scorecards it saw is kept with the proposal; a different admin or evaluator
 * confirms it on a page that names the consequence, and only then is every scorecard frozen —
 * provided the scorecards still match the proposal's digest (otherwise the confirmation is refused
 * and nothing is written; the stale proposal stays until someone withdraws it). The proposer, an
 * admin, or any assessor once the proposal is stale may withdraw it; a return from feedback clears
 * it; the framework cannot be edited while it stands. Each step is one audit row.
 */

export function proposePublish(db: Db, actor: Actor, year: number, version: number) {
  // the cheap checks first, then the scorecards once: they are both the last check and the digest
  enforce(decideYear(actor, factsBeforeScoring(db, year), 'proposePublish'));
  const results = computedYear(db, year).results();
  enforce(decideYear(actor, yearFacts(db, year, results), 'proposePublish'));
  const round = getRound(db, year);
  const at = new Date();
  const snapshot: Proposal = { proposal: { digest: results.digest } };
  db.transaction((tx) => {
    const values = { publishProposedBy: actorId(actor), publishProposedAt: at, snapshot };
    if (!q.updateRoundAt(tx, round.id, version, values)) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'proposePublish',
      entity: 'round',
      entityId: year,
      after: { proposedAt: at.toISOString(), digest: results.digest },
    });
  });
}

export function withdrawPublish(db: Db, actor: Actor, year: number, version: number) {
  enforce(decideYear(actor, yearFacts(db, year), 'withdrawPublish'));
  const round = getRound(db, year);
  db.transaction((tx) => {
    if (!q.updateRoundAt(tx, round.id, version, { publishProposedBy: null, publishProposedAt: null, snapshot: null }))
      throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'withdrawPublish',
      entity: 'round',
      entityId: year,
      before: { proposedBy: round.publishProposedBy },
    });
  });
}

/** The second person's confirmation: freezes the framework and every scorecard with its inputs, as proposed. */
export function confirmPublish(db: Db, actor: Actor, year: number, version: number, confirmed: boolean) {
  enforce(decideYear(actor, factsBeforeScoring(db, year), 'confirmPublish'));
  const live = computedYear(db, year);
  const { doc, groups } = live;
  enforce(decideYear(actor, yearFacts(db, year, live.results()), 'confirmPublish'));
  if (!confirmed) throw new ValidationError({ confirm: { key: 'publish.confirmRequired' } });
  const round = getRound(db, year);
  const publishedAt = new Date();
  const snapshot = { framework: doc, groups, inputs: q.inputsOf(db, round.id), publishedAt: publishedAt.toISOString() };
  db.transaction((tx) => {
    if (!q.updateRoundAt(tx, round.id, version, { stage: 'published', movedBy: actorId(actor), snapshot, publishedAt }))
      throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'publish',
      entity: 'round',
      entityId: year,
      before: { stage: round.stage, proposedBy: round.publishProposedBy },
      after: { stage: 'published', confirmedBy: actorId(actor) },
    });
  });
}

/**
 * What the confirmation page shows: the proposal, who made it, whether the scorecards changed since,
 * what is missing (each indicator named in both languages: the page picks the reader's) and what
 * the actor may do.
 */
export function publishPage(db: Db, actor: Actor, year: number) {
  const round = getRound(db, year);
  const facts = yearFacts(db, year);
  const can = yearCapabilities(actor, facts, ['confirmPublish', 'withdrawPublish', 'proposePublish'] as const);
  const proposer =
    round.publishProposedBy === null ? null : (q.people(db, [round.publishProposedBy]).get(round.publishProposedBy) ?? null);
  const missing = round.stage === 'feedback' ? facts.blockers().missing : [];
  return {
    round,
    can,
    proposer,
    missing,
    stale: proposalStale(facts),
    ownProposal: round.publishProposedBy !== null && round.publishProposedBy === actor.id,
  };
}

/**
 * A published year's results as the actor may see them (the frozen scorecards, filtered by the
 * same visibility as the pages): what the read API serves. A year not (yet) published is not found.
 */
export function publishedYear(db: Db, actor: Actor, year: number) {
  const results = yearResults(db, actor, year);
  if (results.round?.stage !== 'published') throw new NotFoundError();
  return { ...results, publishedAt: results.round.publishedAt };
}

/** One scorecard of a published year, or 404 (unpublished, unknown or outside what the actor sees). */
export function publishedScorecard(db: Db, actor: Actor, year: number, key: string) {
  const { publishedAt } = publishedYear(db, actor, year);
  return { ...scorecard(db, actor, year, key), publishedAt };
}
