import type { Side } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { canWrite, sidesOf, type PairingSides } from './pairings.scope.ts';

/**
 * The one place that decides what a user may do with a pairing and its agreements. Services refuse
 * what a flag denies; routes hand the flags to templates, which only read them.
 *
 * A pairing belongs to both sides: staff of either side edit its years, status and notes and end
 * it. Its structure — the two sides, the level and the parent — is fixed once anything hangs on it
 * (a record, an agreement, a child pair): a re-pairing is "end this pair, start a new one". Only an
 * admin corrects a mistyped side of a pairing in use, giving a reason.
 */
export interface PairingCapabilities {
  editDetails: boolean;
  /** May change sides, level and parent (staff: only while the pairing is empty). */
  editStructure: boolean;
  /** Changing the structure needs a written reason (an admin correcting a pairing in use). */
  structureNeedsReason: boolean;
  end: boolean;
  delete: boolean;
  addChild: boolean;
  /** May set the targets of the pairing's annual agreements. */
  editAgreement: boolean;
  /** May comment on the pairing's agreements (both sides speak there; the other side's only voice). */
  commentAgreement: boolean;
}

/** Targets are the assisting side's commitments: its staff set them, the assisted side reads and comments. */
export const AGREEMENT_OWNER: Side = 'assisting';

/** The structure of a pairing: what a staff user may not change once the pairing is in use. */
export const STRUCTURE_FIELDS = [
  'level',
  'pairupKind',
  'parentId',
  'assistingCode',
  'assistingUnit',
  'assistedCode',
  'assistedUnit',
] as const;

export interface PairingState extends PairingSides {
  level: string;
  endYear: number | null;
}

export function pairingCapabilities(actor: Actor, pairing: PairingState, inUse: boolean): PairingCapabilities {
  const admin = actor.role === 'admin';
  const writer = canWrite(actor, pairing);
  const sides = sidesOf(actor, pairing);
  return {
    editDetails: writer,
    editStructure: admin || (writer && !inUse),
    structureNeedsReason: admin && inUse,
    end: writer && pairing.endYear === null,
    delete: admin && !inUse,
    addChild: writer && pairing.level !== 'pairup',
    editAgreement: writer && sides[AGREEMENT_OWNER],
    commentAgreement: canComment(actor),
  };
}

/** The roles that may comment on what a pairing holds (the route guards use the same list). */
export const COMMENTER_ROLES = ['admin', 'staff', 'liaison'] as const;
/** Comments are everyone's in scope but the evaluators', who assess rather than take part. */
export const canComment = (actor: Actor) => (COMMENTER_ROLES as readonly string[]).includes(actor.role);

/** What an actor may do with pairings in general (before any one pairing is chosen). */
export function pairingsCapabilities(actor: Actor) {
  return {
    create: actor.role === 'admin' || actor.role === 'staff',
    /** Only an admin lets a pairing step outside the east/west zones. */
    allowOutsideZones: actor.role === 'admin',
  };
}

/** The side an actor speaks for on a pairing (null for admins and users on both sides). */
export function sideOf(actor: Actor, pairing: PairingSides): Side | null {
  if (actor.role === 'admin') return null;
  const s = sidesOf(actor, pairing);
  return s.assisting === s.assisted ? null : s.assisting ? 'assisting' : 'assisted';
}
