import type { Db } from '../../db/client.ts';
import { roundStages, type InputKind, type RoundStage } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { isWithin } from '../regions/regions.service.ts';
import * as q from './assessment.queries.ts';
import { computeYear, getFramework } from './assessment.service.ts';

/** Who may move a round out of each stage. */
const MOVERS: Record<RoundStage, readonly string[]> = {
  self: ['admin', 'evaluator'],
  crosscheck: ['admin', 'evaluator'],
  comprehensive: ['admin', 'evaluator'],
  feedback: ['admin', 'evaluator'],
  published: [],
};

export function getRound(db: Db, year: number) {
  const round = q.findRound(db, year);
  if (!round) throw new NotFoundError();
  return round;
}

export function openRound(db: Db, actor: Actor, year: number) {
  if (actor.role !== 'admin' && actor.role !== 'evaluator') throw new ForbiddenError();
  getFramework(db, year);
  if (q.findRound(db, year)) throw new ConflictError('assessment.roundExists');
  return db.transaction((tx) => {
    const round = q.insertRound(tx, year);
    recordAudit(tx, { actorId: actorId(actor), action: 'create', entity: 'round', entityId: year, after: { stage: 'self' } });
    return round;
  });
}

/**
 * Moves the round one step forward. Nobody approves their own submission: the author of a
 * self-assessment cannot accept the self-assessment stage (and an evaluator cannot moderate an
 * indicator they scored, see submitInput). Flagged spreads must be moderated before feedback;
 * publishing freezes the framework and every scorecard with its inputs.
 */
export function advanceRound(db: Db, actor: Actor, year: number, version: number) {
  const round = getRound(db, year);
  const next = roundStages[roundStages.indexOf(round.stage) + 1];
  if (!next) throw new ConflictError('assessment.alreadyPublished');
  if (!MOVERS[round.stage].includes(actor.role)) throw new ForbiddenError();
  if (round.stage === 'self' && q.inputsOf(db, round.id).some((i) => i.kind === 'self' && i.userId === actor.id)) {
    throw new ConflictError('assessment.selfApproval');
  }
  let snapshot: unknown = undefined;
  if (round.stage === 'comprehensive') {
    const flagged = computeYear(db, year).groups.reduce((n, g) => n + g.objects.reduce((m, o) => m + o.flagged, 0), 0);
    if (flagged > 0) throw new ConflictError('assessment.unresolvedFlags', { n: flagged });
  }
  if (next === 'published') {
    const { doc, groups } = computeYear(db, year);
    snapshot = { framework: doc, groups, inputs: q.inputsOf(db, round.id), publishedAt: new Date().toISOString() };
  }
  db.transaction((tx) => {
    const values = { stage: next, movedBy: actorId(actor), ...(snapshot ? { snapshot, publishedAt: new Date() } : {}) };
    if (!q.updateRoundAt(tx, round.id, version, values)) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'advance',
      entity: 'round',
      entityId: year,
      before: { stage: round.stage },
      after: { stage: next },
    });
  });
  return next;
}

/** Sends the round back one stage, with the reason in the audit trail. A published round stays. */
export function returnRound(db: Db, actor: Actor, year: number, reason: string, version: number) {
  if (actor.role !== 'admin' && actor.role !== 'evaluator') throw new ForbiddenError();
  const round = getRound(db, year);
  const index = roundStages.indexOf(round.stage);
  if (index === 0 || round.stage === 'published') throw new ConflictError('assessment.cannotReturn');
  if (reason.trim().length < 2) throw new ValidationError({ reason: { key: 'validation.required' } });
  const previous = roundStages[index - 1]!;
  db.transaction((tx) => {
    if (!q.updateRoundAt(tx, round.id, version, { stage: previous, movedBy: actorId(actor) }))
      throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'return',
      entity: 'round',
      entityId: year,
      before: { stage: round.stage },
      after: { stage: previous, reason },
    });
  });
  return previous;
}

/** Which input kinds each stage takes, and from whom. */
const INPUT_STAGES: Record<InputKind, RoundStage[]> = {
  self: ['self'],
  judged: ['crosscheck'],
  na: ['crosscheck', 'comprehensive'],
  moderated: ['comprehensive'],
  veto: ['comprehensive'],
  feedback: ['feedback'],
};

export interface InputCommand {
  kind: InputKind;
  objectKey: string;
  indicatorKey: string;
  score?: number | undefined;
  text: string;
}

/**
 * Records an input, checking the stage, the actor's role and assignment, and the value's range:
 * judged scores go from 0 to the indicator's points with a required comment.
 */
export function submitInput(db: Db, actor: Actor, year: number, cmd: InputCommand) {
  const round = getRound(db, year);
  const { doc } = getFramework(db, year);
  if (!INPUT_STAGES[cmd.kind].includes(round.stage)) throw new ConflictError('assessment.wrongStage');
  const group = doc.objects.groups.find((g) =>
    g.members.some((m) => (m.kind === 'region' ? `r.${g.side}.${m.code}` : `p.${m.pairingId}`) === cmd.objectKey),
  );
  if (!group) throw new NotFoundError();
  const code = /^r\.\w+\.(\d{6})$/.exec(cmd.objectKey)?.[1];
  if (cmd.kind === 'self' || cmd.kind === 'feedback') {
    // the object's own office writes its self-assessment and its feedback
    if (actor.role !== 'admin' && !(actor.role === 'staff' && code && actor.scope && isWithin(code, actor.scope)))
      throw new ForbiddenError();
  } else {
    const teams = doc.organisation.teams.filter((t) => t.assigned.includes(cmd.objectKey));
    const member = teams.some((t) => t.evaluators.includes(actor.id));
    const lead = teams.some((t) => t.lead === actor.id);
    if (
      actor.role !== 'admin' &&
      !(actor.role === 'evaluator' && (cmd.kind === 'moderated' || cmd.kind === 'veto' ? lead : member))
    )
      throw new ForbiddenError();
  }
  const errors: Record<string, { key: string; params?: Record<string, number> }> = {};
  let score: number | null = null;
  if (
    cmd.kind === 'moderated' &&
    q
      .inputsOf(db, round.id)
      .some(
        (i) =>
          i.kind === 'judged' && i.userId === actor.id && i.objectKey === cmd.objectKey && i.indicatorKey === cmd.indicatorKey,
      )
  ) {
    throw new ConflictError('assessment.selfApproval');
  }
  if (cmd.kind === 'judged' || cmd.kind === 'moderated') {
    const indicator = doc.content.indicators.find((i) => i.key === cmd.indicatorKey && i.rule.type === 'judged');
    if (!indicator) throw new NotFoundError();
    if (cmd.score === undefined || cmd.score < 0 || cmd.score > indicator.points)
      errors.score = { key: 'assessment.scoreRange', params: { max: indicator.points } };
    else score = Math.round(cmd.score * 100);
  } else if (cmd.kind === 'na' && !doc.content.indicators.some((i) => i.key === cmd.indicatorKey)) throw new NotFoundError();
  else if (cmd.kind === 'veto' && !doc.grading.vetoes.some((v) => v.key === cmd.indicatorKey)) throw new NotFoundError();
  if (cmd.text.trim().length < 2) errors.text = { key: 'assessment.commentRequired' };
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  db.transaction((tx) => {
    q.upsertInput(tx, {
      roundId: round.id,
      objectKey: cmd.objectKey,
      indicatorKey: cmd.indicatorKey,
      kind: cmd.kind,
      userId: actor.id,
      score,
      text: cmd.text.trim(),
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: cmd.kind,
      entity: 'round.input',
      entityId: `${year}:${cmd.objectKey}:${cmd.indicatorKey}`,
      after: { score, text: cmd.text.trim() },
    });
  });
}
