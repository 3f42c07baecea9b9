import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { contains } from '../regions/regions.service.ts';
import { pageWindow } from '../lib/pagination.ts';
import { remember } from '../lib/data-version.ts';
import * as q from './pairings.queries.ts';
import { checkPairing, pairingRow } from './pairings.rules.ts';
import type { ListPairingsInput, PairingInput } from './pairings.schema.ts';
import {
  pairingCapabilities,
  pairingsCapabilities,
  sideOf,
  STRUCTURE_FIELDS,
  type PairingCapabilities,
} from './pairings.policy.ts';
import { canWrite, pairingScope, scopePrefixOf, sidesOf, type PairingSides } from './pairings.scope.ts';

export type { PairingView } from './pairings.queries.ts';
export { canWrite, sidesOf, sideOf, pairingScope, scopePrefixOf, pairingsCapabilities, STRUCTURE_FIELDS };
export { canComment, COMMENTER_ROLES } from './pairings.policy.ts';
export type { PairingCapabilities, PairingSides };

/** What the actor may do with a pairing (one policy: pairings.policy.ts). */
export function capabilitiesOf(
  db: Db,
  actor: Actor,
  pairing: { id: number; level: string; endYear: number | null } & PairingSides,
) {
  return pairingCapabilities(actor, pairing, q.hasContent(db, pairing.id));
}

/** A pairing the actor may read, or 404 — also for ids that exist outside the actor's scope. */
export function getPairing(db: Db, actor: Actor, id: number) {
  const pairing = q.findLivePairing(db, id, scopePrefixOf(actor));
  if (!pairing) throw new NotFoundError();
  return pairing;
}

/** A pairing the actor may write (404 outside scope, 403 for read-only roles within it). */
export function getWritablePairing(db: Db, actor: Actor, id: number) {
  const pairing = getPairing(db, actor, id);
  if (!canWrite(actor, pairing)) throw new ForbiddenError();
  return pairing;
}

export function listPairings(db: Db, actor: Actor, input: Partial<ListPairingsInput>) {
  const ids = q.orderedPairingIds(db, `scope:${scopePrefixOf(actor) ?? '*'}`, pairingScope(actor), input, input.sort ?? 'level');
  const w = pageWindow(input.page, ids.length);
  return {
    items: q.pairingsByIds(db, ids.slice(w.offset, w.offset + w.pageSize)),
    page: w.page,
    pages: w.pages,
    total: ids.length,
  };
}

/**
 * Every pairing a list's filter matches, in its order, for an export: read 500 at a time as the
 * file is written (a national admin's list holds 13,000).
 */
export function exportPairings(db: Db, actor: Actor, input: Partial<ListPairingsInput>) {
  const ids = q.orderedPairingIds(db, `scope:${scopePrefixOf(actor) ?? '*'}`, pairingScope(actor), input, input.sort ?? 'level');
  return {
    total: ids.length,
    *rows() {
      for (let i = 0; i < ids.length; i += 500) yield* q.pairingViews(db, ids.slice(i, i + 500));
    },
  };
}

/** The live child pairs the actor may read: kept per structure version (every pairing page lists them). */
export function listChildren(db: Db, actor: Actor, parentId: number) {
  const prefix = scopePrefixOf(actor);
  return remember(
    db,
    `pairings.children ${parentId} ${prefix ?? '*'}`,
    () => Object.freeze(q.listChildren(db, parentId, prefix)),
    'structurePages',
  );
}

/** Only an admin may let a pairing step outside the east/west zones. */
export function checkActor(actor: Actor, input: PairingInput, wasOutside = false) {
  const general = pairingsCapabilities(actor);
  if (!general.allowOutsideZones && input.outsideZones && !wasOutside)
    throw new ValidationError({ outsideZones: { key: 'pairings.rule.outsideZonesAdmin' } });
  if (!canWrite(actor, input)) throw new ValidationError({ assistingCode: { key: 'pairings.rule.notYourScope' } });
}

/** A chosen parent must be one the actor can see; any other id reads as unknown. */
export const visibleTo = (db: Db, actor: Actor) => (id: number) => q.findPairing(db, id, pairingScope(actor)) !== undefined;

export function createPairing(db: Db, actor: Actor, input: PairingInput) {
  if (!pairingsCapabilities(actor).create) throw new ForbiddenError();
  checkActor(actor, input);
  const { errors, parentId } = checkPairing(db, input, undefined, visibleTo(db, actor));
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return db.transaction((tx) => {
    const row = q.insertPairing(tx, pairingRow(input, parentId));
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'create',
      entity: 'pairing',
      entityId: row.id,
      pairingId: row.id,
      after: row,
    });
    return row;
  });
}

/** Empty text and missing values compare equal: the form sends '' where the row holds null. */
const same = (a: unknown, b: unknown) => (a ?? '') === (b ?? '') || String(a ?? '') === String(b ?? '');

/**
 * Saves a pairing's form. Its structure (sides, level, parent) only changes when the policy allows
 * it: staff while nothing hangs on the pairing and never off their own side; an admin with a
 * written reason once it is in use. No edit can move a pairing out of the editor's scope.
 */
export function updatePairing(
  db: Db,
  actor: Actor,
  id: number,
  input: PairingInput & { version: number; reason?: string | undefined },
) {
  const before = getWritablePairing(db, actor, id);
  const can = capabilitiesOf(db, actor, before);
  checkActor(actor, input, before.outsideZones);
  // The parent it already has stays acceptable even where the actor cannot open it (a county
  // office under a city pair); only a newly chosen parent must be visible.
  const visible = visibleTo(db, actor);
  const { errors, parentId } = checkPairing(db, input, id, (pid) => pid === before.parentId || visible(pid));
  const after = pairingRow(input, parentId);
  const moved = STRUCTURE_FIELDS.filter((f) => !same(before[f], after[f]));
  if (!can.editStructure) {
    // Locked fields are not on the form: their problems are shown once, where the structure is.
    const locked = STRUCTURE_FIELDS.map((f) => errors[f]).find((e) => e !== undefined);
    if (locked) errors.structure = locked;
  }
  if (moved.length > 0) {
    if (!can.editStructure) throw new ValidationError(structureErrors(moved, 'pairings.rule.structureFixed'));
    const was = sidesOf(actor, before);
    const now = sidesOf(actor, after);
    if (actor.role !== 'admin' && ((was.assisting && !now.assisting) || (was.assisted && !now.assisted)))
      throw new ValidationError(structureErrors(moved, 'pairings.rule.ownSideFixed'));
    if (can.structureNeedsReason && !input.reason) errors.reason = { key: 'pairings.rule.reasonRequired' };
    if (!childrenFit(db, id, after, moved)) Object.assign(errors, structureErrors(moved, 'pairings.rule.childrenOutside'));
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  db.transaction((tx) => {
    if (!q.updatePairingAt(tx, id, input.version, after)) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: moved.length > 0 && can.structureNeedsReason ? 'correct' : 'update',
      entity: 'pairing',
      entityId: id,
      pairingId: id,
      before,
      after: moved.length > 0 && input.reason ? { ...after, reason: input.reason } : after,
    });
  });
  return getPairing(db, actor, id);
}

/** A correction must not strand the pairs below: they stay within the new sides, at the same level. */
function childrenFit(db: Db, id: number, after: PairingSides, moved: readonly string[]) {
  const children = q.listChildren(db, id, null);
  if (children.length === 0) return true;
  if (moved.includes('level') || moved.includes('pairupKind')) return false;
  return children.every((c) => contains(after.assistingCode, c.assistingCode) && contains(after.assistedCode, c.assistedCode));
}

/** One message on each changed field, and once for the whole structure (shown where the fields are locked). */
function structureErrors(fields: readonly string[], key: string) {
  return Object.fromEntries([...fields, 'structure'].map((f) => [f, { key }]));
}

/** Re-pairing keeps history: ending sets the end year and status; the records stay. */
export function endPairing(db: Db, actor: Actor, id: number, endYear: number, version: number) {
  const before = getWritablePairing(db, actor, id);
  if (!capabilitiesOf(db, actor, before).end) throw new ConflictError('pairings.rule.alreadyEnded');
  if (endYear < before.startYear) throw new ValidationError({ endYear: { key: 'pairings.rule.endBeforeStart' } });
  db.transaction((tx) => {
    if (!q.updatePairingAt(tx, id, version, { endYear, status: 'ended' })) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'end',
      entity: 'pairing',
      entityId: id,
      pairingId: id,
      before: { endYear: before.endYear, status: before.status },
      after: { endYear, status: 'ended' },
    });
  });
  return getPairing(db, actor, id);
}

export function deletePairing(db: Db, actor: Actor, id: number) {
  if (actor.role !== 'admin') throw new ForbiddenError();
  const before = getPairing(db, actor, id);
  if (!capabilitiesOf(db, actor, before).delete) throw new ConflictError('pairings.rule.notEmpty');
  db.transaction((tx) => {
    q.updatePairingAt(tx, id, before.version, { deletedAt: new Date() });
    recordAudit(tx, { actorId: actorId(actor), action: 'delete', entity: 'pairing', entityId: id, pairingId: id, before });
  });
}

export function restorePairing(db: Db, actor: Actor, id: number) {
  if (actor.role !== 'admin') throw new ForbiddenError();
  const row = q.findPairing(db, id, undefined, { deleted: true });
  if (!row?.deletedAt) throw new NotFoundError();
  db.transaction((tx) => {
    q.updatePairingAt(tx, id, row.version, { deletedAt: null });
    recordAudit(tx, { actorId: actorId(actor), action: 'restore', entity: 'pairing', entityId: id, pairingId: id });
  });
}

/** The pairings below the given ones, for roll-ups (used by the records measures). */
export function descendantsOf(db: Db, rootIds: readonly number[]) {
  return q.descendantsOf(db, rootIds);
}

export function listDeletedPairings(db: Db, actor: Actor, limit = 100) {
  if (actor.role !== 'admin') throw new ForbiddenError();
  return q.listDeleted(db, limit);
}
export { pairingIdsBySides } from './pairings.queries.ts';
