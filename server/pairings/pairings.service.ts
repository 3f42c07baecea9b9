import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { pageWindow } from '../lib/pagination.ts';
import * as q from './pairings.queries.ts';
import { checkPairing, pairingRow } from './pairings.rules.ts';
import type { ListPairingsInput, PairingInput } from './pairings.schema.ts';
import { canWrite, pairingScope, sidesOf } from './pairings.scope.ts';

export type { PairingView } from './pairings.queries.ts';
export { canWrite, sidesOf, pairingScope };

/** A pairing the actor may read, or 404 — also for ids that exist outside the actor's scope. */
export function getPairing(db: Db, actor: Actor, id: number) {
  const pairing = q.findPairing(db, id, pairingScope(actor));
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
  const scope = pairingScope(actor);
  const total = q.countPairings(db, scope, input);
  const w = pageWindow(input.page, total);
  return {
    items: q.listPairings(db, scope, input, input.sort ?? 'level', w.pageSize, w.offset),
    page: w.page,
    pages: w.pages,
    total,
  };
}

export function listChildren(db: Db, actor: Actor, parentId: number) {
  return q.listChildren(db, parentId, pairingScope(actor));
}

/** Only an admin may let a pairing step outside the east/west zones. */
function checkActor(actor: Actor, input: PairingInput, wasOutside = false) {
  if (actor.role !== 'admin' && input.outsideZones && !wasOutside)
    throw new ValidationError({ outsideZones: { key: 'pairings.rule.outsideZonesAdmin' } });
  if (actor.role !== 'admin' && !canWrite(actor, input))
    throw new ValidationError({ assistingCode: { key: 'pairings.rule.notYourScope' } });
}

export function createPairing(db: Db, actor: Actor, input: PairingInput) {
  if (actor.role !== 'admin' && actor.role !== 'staff') throw new ForbiddenError();
  checkActor(actor, input);
  const { errors, parentId } = checkPairing(db, input);
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

export function updatePairing(db: Db, actor: Actor, id: number, input: PairingInput & { version: number }) {
  const before = getWritablePairing(db, actor, id);
  checkActor(actor, input, before.outsideZones);
  const { errors, parentId } = checkPairing(db, input, id);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  const after = pairingRow(input, parentId);
  db.transaction((tx) => {
    if (!q.updatePairingAt(tx, id, input.version, after)) throw new ConflictError('conflict.stale');
    recordAudit(tx, { actorId: actorId(actor), action: 'update', entity: 'pairing', entityId: id, pairingId: id, before, after });
  });
  return getPairing(db, actor, id);
}

/** Re-pairing keeps history: ending sets the end year and status; the records stay. */
export function endPairing(db: Db, actor: Actor, id: number, endYear: number, version: number) {
  const before = getWritablePairing(db, actor, id);
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

export function deletePairing(db: Db, actor: Actor, id: number, hasContent: boolean) {
  if (actor.role !== 'admin') throw new ForbiddenError();
  const before = getPairing(db, actor, id);
  if (hasContent || q.listChildren(db, id, undefined).length > 0) throw new ConflictError('pairings.rule.notEmpty');
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
