import type { Db } from '../../db/client.ts';
import { roundStages, type InputKind } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { getFramework } from './assessment.compute.ts';
import { yearFacts } from './assessment.facts.ts';
import { hasObject } from './assessment.framework.ts';
import { yearBasis } from './assessment.basis.ts';
import { decideInput, decideYear, enforce, indicatorFacts, seesObject, type InputAction } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';

export function getRound(db: Db, year: number) {
  const round = q.findRound(db, year);
  if (!round) throw new NotFoundError();
  return round;
}

export function openRound(db: Db, actor: Actor, year: number) {
  enforce(decideYear(actor, yearFacts(db, year), 'openRound'));
  return db.transaction((tx) => {
    const round = q.insertRound(tx, year);
    recordAudit(tx, { actorId: actorId(actor), action: 'create', entity: 'round', entityId: year, after: { stage: 'self' } });
    return round;
  });
}

/**
 * Moves the round one step forward, up to feedback (publishing takes two people: see
 * assessment.publish.ts). Nobody approves their own submission: the author of a self-assessment
 * cannot accept the self-assessment stage (and an evaluator cannot moderate an indicator they
 * scored, see submitInput). Flagged spreads must be moderated before feedback.
 */
export function advanceRound(db: Db, actor: Actor, year: number, version: number) {
  enforce(decideYear(actor, yearFacts(db, year), 'advance'));
  const round = getRound(db, year);
  const next = roundStages[roundStages.indexOf(round.stage) + 1]!;
  db.transaction((tx) => {
    if (!q.updateRoundAt(tx, round.id, version, { stage: next, movedBy: actorId(actor) }))
      throw new ConflictError('conflict.stale');
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

/**
 * Sends the round back one stage, with the reason in the audit trail. A published round stays.
 * A return from feedback also clears a pending publication proposal: the next one starts afresh.
 */
export function returnRound(db: Db, actor: Actor, year: number, reason: string, version: number) {
  enforce(decideYear(actor, yearFacts(db, year), 'return'));
  const round = getRound(db, year);
  if (reason.trim().length < 2) throw new ValidationError({ reason: { key: 'validation.required' } });
  const previous = roundStages[roundStages.indexOf(round.stage) - 1]!;
  db.transaction((tx) => {
    const values = { stage: previous, movedBy: actorId(actor), publishProposedBy: null, publishProposedAt: null, snapshot: null };
    if (!q.updateRoundAt(tx, round.id, version, values)) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'return',
      entity: 'round',
      entityId: year,
      before: { stage: round.stage, publishProposedBy: round.publishProposedBy },
      after: { stage: previous, reason },
    });
  });
  return previous;
}

/** The policy action behind each kind of input. */
const ACTION_OF: Record<InputKind, InputAction> = {
  self: 'selfAssess',
  feedback: 'feedback',
  judged: 'judge',
  na: 'markNa',
  moderated: 'moderate',
  veto: 'veto',
  opinion: 'opine',
  objection: 'object',
  reply: 'reply',
};

export interface InputCommand {
  kind: InputKind;
  objectKey: string;
  indicatorKey: string;
  score?: number | undefined;
  /** The paired side's opinion (agree or not), or the answer to an objection (accept or reject). */
  decision?: 'yes' | 'no' | undefined;
  text: string;
}

type Errors = Record<string, { key: string; params?: Record<string, number | string> }>;

/**
 * Records an input, checking the stage, the actor's role and assignment, and the value's range:
 * judged scores go from 0 to the indicator's points with a required comment (the reason, when the
 * score departs from the assessed side's own; none is needed to agree with it); the paired side agrees or disagrees with a comment;
 * an objection's answer changes the score (accepted) or not (rejected), with its reason. An object
 * the actor may not see is a 404, as if it did not exist.
 */
export function submitInput(db: Db, actor: Actor, year: number, cmd: InputCommand) {
  const round = getRound(db, year);
  const { doc } = getFramework(db, year);
  if (!hasObject(doc, cmd.objectKey)) throw new NotFoundError();
  const obj = yearBasis(db, year).facts(cmd.objectKey);
  // an object the actor may not see answers like a missing one: its existence is not told
  if (!seesObject(actor, doc, round.stage, obj)) throw new NotFoundError();
  const inputs = q.inputsOfObject(db, round.id, cmd.objectKey);
  const indicatorFactsOf =
    cmd.kind === 'moderated' ? indicatorFacts(doc, inputs, cmd.objectKey, cmd.indicatorKey, actor.id) : undefined;
  enforce(decideInput(actor, round.stage, obj, ACTION_OF[cmd.kind], indicatorFactsOf));
  const indicator = doc.content.indicators.find((i) => i.key === cmd.indicatorKey);
  const errors: Errors = {};
  let score: number | null = null;
  const inRange = (max: number) => {
    if (cmd.score === undefined || cmd.score < 0 || cmd.score > max)
      errors.score = { key: 'assessment.scoreRange', params: { max } };
    else score = Math.round(cmd.score * 100);
  };
  const needsIndicator = ['judged', 'moderated', 'na', 'opinion', 'objection', 'reply'].includes(cmd.kind);
  if (needsIndicator && !indicator) throw new NotFoundError();
  switch (cmd.kind) {
    case 'judged':
    case 'moderated':
      if (indicator!.rule.type !== 'judged') throw new NotFoundError();
      inRange(indicator!.points);
      break;
    case 'veto':
      if (!doc.grading.vetoes.some((v) => v.key === cmd.indicatorKey)) throw new NotFoundError();
      break;
    case 'self':
      // a score per indicator (optional), or the statement of the whole object ('' and no score)
      if (cmd.indicatorKey !== '' && !indicator) throw new NotFoundError();
      if (indicator && cmd.score !== undefined) inRange(indicator.points);
      break;
    case 'opinion':
      // an opinion is of a self-assessment: none given, nothing to agree with
      if (!inputs.some((i) => i.kind === 'self' && i.indicatorKey === cmd.indicatorKey))
        throw new ConflictError('opinion.noSelf');
      if (cmd.decision === undefined) errors.decision = { key: 'opinion.choose' };
      else score = cmd.decision === 'yes' ? 1 : 0;
      break;
    case 'objection':
    case 'reply': {
      const of = (kind: string) => inputs.filter((i) => i.kind === kind && i.indicatorKey === cmd.indicatorKey);
      // a score not counted cannot be objected to; an answered objection stays as it was answered
      if (of('na').length > 0) throw new ConflictError('objection.notApplicable');
      const answer = of('reply')[0];
      if (cmd.kind === 'objection') {
        if (answer) throw new ConflictError('objection.answered');
        break;
      }
      if (of('objection').length === 0) throw new NotFoundError();
      // one answer per objection: its author may correct it, nobody adds a second
      if (answer && answer.userId !== actor.id) throw new ConflictError('reply.alreadyAnswered');
      if (cmd.decision === undefined) errors.decision = { key: 'reply.choose' };
      else if (cmd.decision === 'yes') inRange(indicator!.points);
      break;
    }
  }
  const text = cmd.text.trim();
  // a comment is optional only where it adds nothing: the paired side agreeing, a self score without one
  // an evaluator agreeing with the self score: the self-assessment is its reason
  const agreesWithSelf =
    cmd.kind === 'judged' &&
    score !== null &&
    inputs.some((i) => i.kind === 'self' && i.indicatorKey === cmd.indicatorKey && i.score === score);
  const optional =
    (cmd.kind === 'opinion' && cmd.decision === 'yes') || (cmd.kind === 'self' && cmd.indicatorKey !== '') || agreesWithSelf;
  if (text.length < 2 && !optional) errors.text = { key: reasonKey(cmd, inputs, score) };
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  db.transaction((tx) => {
    q.upsertInput(tx, {
      roundId: round.id,
      objectKey: cmd.objectKey,
      indicatorKey: cmd.indicatorKey,
      kind: cmd.kind,
      userId: actor.id,
      score,
      text,
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: cmd.kind,
      entity: 'round.input',
      entityId: `${year}:${cmd.objectKey}:${cmd.indicatorKey}`,
      after: { score, text },
    });
  });
}

/** Which message asks for the missing comment: an evaluator departing from the self score is told so. */
function reasonKey(
  cmd: InputCommand,
  inputs: readonly { kind: string; indicatorKey: string; score: number | null }[],
  score: number | null,
) {
  if (cmd.kind === 'judged') {
    const self = inputs.find((i) => i.kind === 'self' && i.indicatorKey === cmd.indicatorKey && i.score !== null);
    if (self && self.score !== score) return 'assessment.reasonForChange';
  }
  if (cmd.kind === 'opinion') return 'opinion.commentRequired';
  if (cmd.kind === 'objection') return 'objection.textRequired';
  if (cmd.kind === 'reply') return 'reply.reasonRequired';
  return 'assessment.commentRequired';
}
