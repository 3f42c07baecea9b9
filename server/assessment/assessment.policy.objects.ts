import type { Db } from '../../db/client.ts';
import type { RoundStage } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, type AppError } from '../lib/errors.ts';
import { prefixOfCode } from '../regions/regions.service.ts';
import { objectKeys, type FrameworkDoc } from './assessment.framework.ts';
import * as q from './assessment.queries.ts';
import { yearBasis } from './assessment.basis.ts';
import { scoreJudged } from './assessment.scoring.ts';

/**
 * Object-level decisions of the assessment policy (see assessment.policy.ts for the year-level
 * ones): who sees an object's scorecard and who writes which input on it at which stage.
 */

/** Two regions overlap when one lies within the other (a scope prefix or a 6-digit code each). */
export function overlaps(a: string, b: string): boolean {
  const pa = a.length === 6 ? prefixOfCode(a) : a;
  const pb = b.length === 6 ? prefixOfCode(b) : b;
  return pa.startsWith(pb) || pb.startsWith(pa);
}

/** The 6-digit code of a region object (`r.assisted.610000`), or undefined for a pairing object. */
export const regionOfKey = (key: string): string | undefined => /^r\.\w+\.(\d{6})$/.exec(key)?.[1];

type Team = FrameworkDoc['organisation']['teams'][number];

export interface ObjectFacts {
  key: string;
  /** The regions the object stands for: its own code, or both sides of a pairing. */
  codes: readonly string[];
  /** The teams assigned to the object. */
  teams: readonly Team[];
  /** The regions paired with a region object in the year (the paired side gives its opinion). */
  partners: readonly string[];
}

export interface IndicatorFacts {
  judged: boolean;
  /** The evaluators' spread is beyond the tolerance (moderated or not). */
  spread: boolean;
  /** The actor gave one of the judged scores (it cannot moderate its own score). */
  scoredByActor: boolean;
}

export type InputAction =
  | 'selfAssess'
  | 'feedback'
  | 'judge'
  | 'markNa'
  | 'moderate'
  | 'veto'
  | 'uploadSelfEvidence'
  | 'uploadJudgedEvidence'
  | 'opine'
  | 'object'
  | 'reply'
  | 'uploadObjectionEvidence';

const STAGES: Record<InputAction, readonly RoundStage[]> = {
  selfAssess: ['self'],
  uploadSelfEvidence: ['self'],
  feedback: ['feedback'],
  judge: ['crosscheck'],
  uploadJudgedEvidence: ['crosscheck'],
  markNa: ['crosscheck', 'comprehensive'],
  moderate: ['comprehensive'],
  veto: ['comprehensive'],
  // the paired side reads the self-assessment and says whether it agrees, before the evaluators start
  opine: ['self'],
  // the right of reply: the assessed side objects to a score, the assessors answer, before publication
  object: ['feedback'],
  uploadObjectionEvidence: ['feedback'],
  reply: ['feedback'],
};

const ownRegion = (actor: Actor, obj: ObjectFacts) => actor.scope !== null && obj.codes.some((c) => overlaps(actor.scope!, c));

/** Whether the actor judges, leads or merely sees the object as an assessor. Nobody assesses its own region. */
function assessorRole(actor: Actor, obj: ObjectFacts): { member: boolean; lead: boolean } {
  if (actor.role === 'admin') return { member: true, lead: true };
  if (actor.role !== 'evaluator' || ownRegion(actor, obj)) return { member: false, lead: false };
  return { member: obj.teams.some((t) => t.evaluators.includes(actor.id)), lead: obj.teams.some((t) => t.lead === actor.id) };
}

/** The office of a region paired with the object in the year (never the object's own): the one partner rule. */
const partnerOffice = (actor: Actor, obj: ObjectFacts) =>
  actor.role === 'staff' &&
  actor.scope !== null &&
  !ownRegion(actor, obj) &&
  obj.partners.some((c) => c.startsWith(actor.scope!));

/** The object's own office (or an admin) writes its self-assessment and feedback. */
const ownOffice = (actor: Actor, obj: ObjectFacts) => {
  const code = regionOfKey(obj.key);
  return (
    actor.role === 'admin' ||
    (actor.role === 'staff' && code !== undefined && actor.scope !== null && code.startsWith(actor.scope))
  );
};

export function decideInput(
  actor: Actor,
  stage: RoundStage | null,
  obj: ObjectFacts,
  action: InputAction,
  indicator?: IndicatorFacts,
): AppError | null {
  if (stage === null) return new NotFoundError();
  if (!STAGES[action].includes(stage)) return new ConflictError('assessment.wrongStage');
  const role = assessorRole(actor, obj);
  switch (action) {
    case 'selfAssess':
    case 'feedback':
    case 'uploadSelfEvidence':
    case 'object':
    case 'uploadObjectionEvidence':
      return ownOffice(actor, obj) ? null : new ForbiddenError();
    case 'opine':
      return actor.role === 'admin' || partnerOffice(actor, obj) ? null : new ForbiddenError();
    case 'reply':
      return role.member || role.lead ? null : new ForbiddenError();
    case 'judge':
    case 'uploadJudgedEvidence':
      return role.member ? null : new ForbiddenError();
    case 'markNa':
      return role.member || role.lead ? null : new ForbiddenError();
    case 'veto':
      return role.lead ? null : new ForbiddenError();
    case 'moderate':
      if (!role.lead) return new ForbiddenError();
      if (!indicator?.judged) return new NotFoundError();
      if (indicator.scoredByActor) return new ConflictError('assessment.selfApproval');
      return indicator.spread ? null : new ConflictError('assessment.nothingToModerate');
  }
}

/** Whether the actor sees an object's scorecard at a stage. */
export function seesObject(actor: Actor, doc: FrameworkDoc, stage: RoundStage | null, obj: ObjectFacts): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role === 'evaluator') {
    const inTeams = doc.organisation.teams.some((t) => t.evaluators.includes(actor.id) || t.lead === actor.id);
    // an evaluator in no team, bound to no region, is a national evaluator and sees every object
    if (!inTeams) return actor.scope === null;
    const role = assessorRole(actor, obj);
    return role.member || role.lead;
  }
  // Liaisons see their own region's scorecards once feedback has started; offices also during
  // self-assessment, where they write it (and attach its evidence) on that page. The paired side
  // sees them the same way: its office at self-assessment (to give its opinion), both from feedback
  const open = stage === 'feedback' || stage === 'published' || (stage === 'self' && actor.role === 'staff');
  const code = regionOfKey(obj.key);
  if (open && code !== undefined && actor.scope !== null && code.startsWith(actor.scope)) return true;
  // (never during cross-check or comprehensive evaluation, while the scores are the assessors' alone)
  return open && code !== undefined && partnerOffice({ ...actor, role: 'staff' }, obj);
}

/** The facts of one object: its codes (pairings through one lookup map) and the teams assigned to it. */
export function objectFacts(
  doc: FrameworkDoc,
  key: string,
  pairingSides: ReadonlyMap<number, readonly string[]>,
  teams: ReadonlyMap<string, Team[]>,
  partners: ReadonlyMap<string, readonly string[]>,
): ObjectFacts {
  const code = regionOfKey(key);
  const pairing = /^p\.(\d+)$/.exec(key)?.[1];
  const codes = code ? [code] : pairing ? (pairingSides.get(Number(pairing)) ?? []) : [];
  return { key, codes, teams: teams.get(key) ?? [], partners: code ? (partners.get(code) ?? []) : [] };
}

/** The regions paired with each region object of a framework in its year, in one query. */
export function partnersOf(db: Db, doc: FrameworkDoc, year: number): Map<string, string[]> {
  const codes = objectKeys(doc).flatMap((k) => regionOfKey(k) ?? []);
  return q.partnerCodes(db, codes, year);
}

/** The teams assigned to each object, built once for a page that looks at many objects. */
export function teamIndex(doc: FrameworkDoc): Map<string, Team[]> {
  const index = new Map<string, Team[]>();
  for (const t of doc.organisation.teams)
    for (const key of new Set(t.assigned)) (index.get(key) ?? index.set(key, []).get(key)!).push(t);
  return index;
}

/** The sides of every pairing object of a framework, in one query. */
export function pairingSidesOf(db: Db, doc: FrameworkDoc): Map<number, string[]> {
  return q.pairingSides(
    db,
    doc.objects.groups.flatMap((g) => g.members.flatMap((m) => (m.kind === 'pairing' ? [m.pairingId] : []))),
  );
}

/** An indicator's facts for moderation, from the round's inputs of that object. */
export function indicatorFacts(
  doc: FrameworkDoc,
  inputs: readonly { kind: string; objectKey: string; indicatorKey: string; userId: number; score: number | null }[],
  objectKey: string,
  indicatorKey: string,
  actorId: number,
): IndicatorFacts {
  const ind = doc.content.indicators.find((i) => i.key === indicatorKey);
  if (!ind || ind.rule.type !== 'judged') return { judged: false, spread: false, scoredByActor: false };
  const judged = inputs.filter((i) => i.kind === 'judged' && i.objectKey === objectKey && i.indicatorKey === indicatorKey);
  const scores = judged.flatMap((i) => (i.score === null ? [] : [i.score]));
  return {
    judged: true,
    spread: scoreJudged(ind.points, scores, doc.content.judgedTolerancePercent).flagged,
    scoredByActor: judged.some((i) => i.userId === actorId),
  };
}

/**
 * For the upload route, before it reads a multipart body: whether the actor may upload evidence in
 * this year's round at its stage — to the given object, or (without one) to any object at all.
 */
export function canUploadEvidence(db: Db, actor: Actor, year: number, objectKey?: string): boolean {
  const basis = yearBasis(db, year);
  const round = basis.round;
  const doc = basis.framework?.doc;
  if (!round || !doc) return false;
  const action = evidenceAction(round.stage);
  if (!action) return false;
  const all = objectKeys(doc);
  const keys = objectKey === undefined ? all : all.filter((k) => k === objectKey);
  return keys.some((key) => {
    const obj = basis.facts(key);
    return seesObject(actor, doc, round.stage, obj) && decideInput(actor, round.stage, obj, action) === null;
  });
}

/**
 * What an evidence file is at each stage: behind the self-assessment, behind a judged score at
 * cross-check, behind an objection at feedback; at the other stages nobody adds one.
 */
export function evidenceAction(stage: RoundStage): InputAction | null {
  return stage === 'self'
    ? 'uploadSelfEvidence'
    : stage === 'crosscheck'
      ? 'uploadJudgedEvidence'
      : stage === 'feedback'
        ? 'uploadObjectionEvidence'
        : null;
}
