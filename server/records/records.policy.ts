import type { Side } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { canComment, canWrite, sidesOf, type PairingSides } from '../pairings/pairings.service.ts';
import { RECORD_KINDS, type RecordKind, type RecordKindKey } from './records.kinds.ts';

/**
 * The one place that decides what a user may do with records. Services refuse what a flag denies;
 * routes hand the flags to templates, which only read them — so a page never offers what the
 * server refuses. Ownership comes from the record-kind registry (`enteredBy`, `confirmedBy`).
 */
export interface RecordCapabilities {
  /** May enter a new record of this kind under the pairing. */
  create: boolean;
  /** The sides the actor may enter it as (more than one only for admins and users on both sides). */
  createAs: Side[];
  edit: boolean;
  delete: boolean;
  /** May confirm the other side's record (a fund's receipt) now; if not, why not. */
  confirm: boolean;
  confirmBlocked: 'notYourSide' | 'locked' | 'nothingDisbursed' | 'alreadyConfirmed' | null;
  /** The actor's sides whose report of the year is submitted: their records of it are locked (shown, not refused by surprise). */
  locked: Side[];
  /** May write a comment (the other side's voice on a record it does not own). */
  comment: boolean;
}

/** The sides of the pairing the actor may act for (none for read-only roles). */
function actingSides(actor: Actor, pairing: PairingSides): Side[] {
  if (!canWrite(actor, pairing)) return [];
  const s = sidesOf(actor, pairing);
  return (['assisting', 'assisted'] as const).filter((side) => s[side]);
}

export interface RecordState {
  side: Side;
  confirmation?: unknown;
  disbursedFen?: unknown;
}

/**
 * `lockedSides`: the sides whose report of the year in question (the record's, or the one being
 * entered) is submitted or accepted (reports.policy.ts): their records of that year are locked
 * until the report is returned.
 */
export function recordCapabilities(
  actor: Actor,
  kind: RecordKind,
  pairing: PairingSides,
  record?: RecordState,
  lockedSides: readonly Side[] = [],
): RecordCapabilities {
  const allActing = actingSides(actor, pairing);
  const locked = allActing.filter((side) => lockedSides.includes(side));
  const acting = allActing.filter((side) => !lockedSides.includes(side));
  const createAs = kind.enteredBy.filter((side) => acting.includes(side));
  const owns = record !== undefined && kind.enteredBy.includes(record.side) && acting.includes(record.side);
  const confirmBlocked =
    record === undefined || kind.confirmedBy === undefined || !allActing.includes(kind.confirmedBy)
      ? 'notYourSide'
      : locked.includes(kind.confirmedBy)
        ? 'locked'
        : Number(record.disbursedFen ?? 0) <= 0
          ? 'nothingDisbursed'
          : record.confirmation === 'confirmed'
            ? 'alreadyConfirmed'
            : null;
  return {
    create: createAs.length > 0,
    createAs,
    edit: owns,
    delete: owns,
    confirm: confirmBlocked === null,
    confirmBlocked,
    comment: record !== undefined && canComment(actor),
    locked,
  };
}

/**
 * Whether a new record of a year is refused only because every side it would be entered as has
 * submitted its report of that year (the lock): the form then says so on the year.
 */
export function newRecordLocked(
  actor: Actor,
  kind: RecordKind,
  pairing: PairingSides,
  lockedSides: readonly Side[],
  side?: unknown,
): boolean {
  const open = recordCapabilities(actor, kind, pairing).createAs;
  const wanted = typeof side === 'string' && side !== '' ? open.filter((s) => s === side) : open;
  return wanted.length > 0 && wanted.every((s) => lockedSides.includes(s));
}

/**
 * The side an audited change to a record was made for (its audit row's entity, action and stored
 * record): a confirmation is the confirming side's, any other change the record owner's. The other
 * side is the one told of it as "the partner's change" (home pages and reminders alike).
 */
export function sideOfChange(entity: string, action: string, before: string | null, after: string | null): Side | undefined {
  if (!entity.startsWith('record.')) return undefined;
  const kind = RECORD_KINDS[entity.slice('record.'.length) as RecordKindKey];
  if (!kind) return undefined;
  if (action === 'confirm') return kind.confirmedBy;
  const read = (json: string | null) => (json ? (JSON.parse(json) as { side?: unknown }) : null);
  const side = read(after)?.side ?? read(before)?.side;
  return side === 'assisting' || side === 'assisted' ? side : undefined;
}
