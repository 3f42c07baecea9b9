import { getTableColumns } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { pageWindow } from '../lib/pagination.ts';
import { remember } from '../lib/data-version.ts';
import type { FieldErrors } from '../lib/validation.ts';
import { getPairing, scopePrefixOf, sideOf, type PairingView } from '../pairings/pairings.service.ts';
import { addComment, commentsOn } from '../comments/comments.service.ts';
import { contains, findRegion } from '../regions/regions.service.ts';
import {
  RECORD_KINDS,
  formFields,
  isRecordKind,
  type RecordInput,
  type RecordKind,
  type RecordKindKey,
} from './records.kinds.ts';
import * as q from './records.queries.ts';
import { newRecordLocked, recordCapabilities, type RecordCapabilities } from './records.policy.ts';
import { lockedSides } from '../reports/reports.service.ts';
import type { Side } from '../../db/schema/index.ts';
import { confirmedWarnings, recordWarnings } from './records.warnings.ts';

export type { RecordRow, PairingOfRecord, RecordFilter } from './records.queries.ts';
export {
  MEASURES,
  MEASURE_INDEX,
  totalsByRootAndYear,
  totalsByPairing,
  rawYearPass,
  measureSums,
  emptyTotals,
  type Totals,
  type MeasureKey,
} from './records.measures.ts';
export { recordCapabilities, type RecordCapabilities };
export {
  RECORD_KINDS,
  recordKindKeys,
  formFields,
  listableFields,
  type RecordKind,
  type RecordKindKey,
} from './records.kinds.ts';

export function kindOf(key: unknown): RecordKind {
  if (!isRecordKind(key)) throw new NotFoundError();
  return RECORD_KINDS[key];
}

const entity = (kind: RecordKind) => `record.${kind.key}`;

/** A record the actor may read (404 outside their scope, for every page, form and action). */
export function getRecord(db: Db, actor: Actor, kindKey: RecordKindKey, id: number) {
  const kind = kindOf(kindKey);
  const found = q.findRecord(db, kind.table, id, scopePrefixOf(actor));
  if (!found) throw new NotFoundError();
  const record = found.record as typeof found.record & { side: Side };
  const locked = lockedSides(db, record.pairingId, record.year as number);
  return { ...found, record, kind, can: recordCapabilities(actor, kind, found.pairing, record, locked) };
}

/** Refuses an edit or delete the policy does not allow: a locked year (its report is submitted) says so, else whose record it is. */
export function checkWritable(
  found: { record: { side: Side; year: unknown }; can: RecordCapabilities },
  what: 'edit' | 'delete',
) {
  if (found.can[what]) return;
  if (found.can.locked.includes(found.record.side))
    throw new ConflictError('records.rule.yearLocked', { year: Number(found.record.year) });
  throw new ForbiddenError(`records.rule.ownedBy.${found.record.side}`);
}

/**
 * What a new record of the year may be entered as: the policy's capabilities with the year's
 * locked sides; a side locked by its submitted report is refused on the year field.
 */
export function newRecordCapabilities(db: Db, actor: Actor, kind: RecordKind, pairing: PairingView, year: number, side: unknown) {
  const locked = lockedSides(db, pairing.id, year);
  if (newRecordLocked(actor, kind, pairing, locked, side))
    throw new ValidationError({ year: { key: 'records.rule.yearLocked', params: { year } } });
  return recordCapabilities(actor, kind, pairing, undefined, locked);
}

export function listRecords(
  db: Db,
  actor: Actor,
  kindKey: RecordKindKey,
  filter: q.RecordFilter & { page?: number | undefined; sort?: 'date' | 'oldest' | undefined },
) {
  const kind = kindOf(kindKey);
  // a scoped or region-filtered list reads the pairings in its scope by id, not by a join per record
  const within = q.withinOf(db, scopePrefixOf(actor), filter.region);
  const total = q.countRecords(db, kind.table, within, filter);
  const w = pageWindow(filter.page, total);
  const plan = within && !filter.pairingId ? planOf(db, kind, filter, total, w.offset + w.pageSize) : undefined;
  const page = { sort: filter.sort ?? 'date', limit: w.pageSize, offset: w.offset, within, plan } as const;
  // the rows are the same for everyone in the scope until a record or pairing changes (shared: never mutated)
  const named = [filter.pairingId, filter.year, filter.region, filter.fields ?? {}, page.sort, page.offset];
  const key = `records.page ${kind.key} ${within?.key ?? 'country'} ${JSON.stringify(named)}`;
  const items = remember(db, key, () => q.listRecords(db, kind.table, filter, page), 'pages');
  /** `key` names these rows for everyone in the scope (a kept page fragment adds it to its own key). */
  return { items, key, page: w.page, pages: w.pages, total };
}

/**
 * Every record a list's filter matches, oldest first, for an export: read 1,000 at a time as the
 * file is written (an export may hold 100,000 records, more than the heap holds at once); more
 * than `max` is refused (narrow the filter).
 */
export function exportRecords(db: Db, actor: Actor, kindKey: RecordKindKey, filter: q.RecordFilter, max: number) {
  const kind = kindOf(kindKey);
  const within = q.withinOf(db, scopePrefixOf(actor), filter.region);
  const total = q.countRecords(db, kind.table, within, filter);
  if (total > max) throw new ConflictError('export.tooMany', { max });
  const page = { sort: 'oldest', limit: max, offset: 0, within, plan: within ? 'search' : undefined } as const;
  const ids = q.listRecordIds(db, kind.table, filter, page);
  return {
    total: ids.length,
    *rows() {
      for (let i = 0; i < ids.length; i += 1000) yield* q.recordsByIds(db, kind.table, ids.slice(i, i + 1000));
    },
  };
}

/**
 * Walk the (year, date) index or sort the matches (records.queries.ts `PagePlan`). The walk reads
 * about `reach × all / total` rows, the sort `total` rows at about a third of the cost per row
 * (measured on the national funds: 江苏 staff, 1/6 of them, page 1 walk 2 ms against 5 ms, page 100
 * walk 17 ms against 12 ms; a 苏州 filter, 1/55, sort 1.3 ms against 3.4 ms). `all` is the
 * unscoped count of the same year, kept per data version like every count.
 */
function planOf(db: Db, kind: RecordKind, filter: q.RecordFilter, total: number, reach: number): q.PagePlan {
  const all = q.countRecords(db, kind.table, undefined, { year: filter.year });
  return 3 * reach * all < total * total ? 'walk' : 'search';
}

/** Input → column values: missing numbers on NOT NULL columns become 0, other missing values NULL. */
export function toRow(kind: RecordKind, input: RecordInput): Record<string, unknown> {
  const columns = getTableColumns(kind.table) as Record<string, { notNull: boolean }>;
  const row: Record<string, unknown> = {};
  for (const f of formFields(kind)) {
    const v = input[f.name];
    row[f.name] = v !== undefined ? v : columns[f.name]?.notNull ? 0 : null;
  }
  return row;
}

/** What is wrong with an input for a pairing (every rule of the kind, and a ref already taken). */
export function recordErrors(
  db: Db,
  kind: RecordKind,
  pairing: { id: number; assistedCode: string; startYear: number; endYear: number | null },
  input: RecordInput,
  existingId?: number,
  /** The caller has just looked the ledger number up (an import does, to decide create or update). */
  refKnownFree = false,
): FieldErrors {
  const errors: FieldErrors = kind.check(input, {
    pairing,
    region: (code) => findRegion(db, code),
    within: contains,
    projectIds: () => q.projectIdsOf(db, pairing.id),
  });
  if (!refKnownFree && typeof input.ref === 'string' && q.refTaken(db, kind.table, pairing.id, input.ref, existingId))
    errors.ref = { key: 'records.rule.refTaken' };
  return errors;
}

function validate(...args: Parameters<typeof recordErrors>) {
  const errors = recordErrors(...args);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

/**
 * The side a new record belongs to: the actor's own side among those the kind allows. Only an
 * actor on both sides (an admin) chooses, and only among those.
 */
export function sideOfNew(can: RecordCapabilities, kind: RecordKind, chosen: unknown): Side {
  if (!can.create) {
    throw new ForbiddenError(kind.enteredBy.length === 1 ? `records.rule.enteredBy.${kind.enteredBy[0]}` : undefined);
  }
  if (chosen === undefined || chosen === null || chosen === '') return can.createAs[0]!;
  const side = can.createAs.find((s) => s === chosen);
  if (!side) throw new ValidationError({ side: { key: 'records.rule.sideNotYours' } });
  return side;
}

export function createRecord(
  db: Db,
  actor: Actor,
  kindKey: RecordKindKey,
  pairingId: number,
  input: RecordInput & { side?: Side | undefined; confirmWarnings?: boolean | undefined },
) {
  const kind = kindOf(kindKey);
  const pairing = getPairing(db, actor, pairingId);
  const side = sideOfNew(newRecordCapabilities(db, actor, kind, pairing, input.year, input.side), kind, input.side);
  validate(db, kind, pairing, input);
  // implausible values are saved only once the user has said they are right
  const warnings = confirmedWarnings(recordWarnings(db, kind.key, pairing, input), input.confirmWarnings);
  return db.transaction((tx) => {
    const row = q.insertRecord(tx, kind.table, {
      ...toRow(kind, input),
      side,
      pairingId,
      createdBy: actorId(actor),
      updatedBy: actorId(actor),
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'create',
      entity: entity(kind),
      entityId: row.id,
      pairingId,
      after: row,
      warnings,
    });
    return row;
  });
}

const CONFIRMATION_FIELDS = ['committedFen', 'disbursedFen', 'kind', 'form'];

/** An update's column values; a confirmed transfer whose amounts change must be confirmed again by the other side. */
export function updatedValues(kind: RecordKind, input: RecordInput, current: Record<string, unknown>) {
  const values = toRow(kind, input);
  if (kind.confirmedBy && CONFIRMATION_FIELDS.some((f) => values[f] !== current[f])) {
    Object.assign(values, { confirmation: 'unconfirmed', receivedFen: null, confirmedBy: null, confirmedAt: null });
  }
  return values;
}

export function updateRecord(
  db: Db,
  actor: Actor,
  kindKey: RecordKindKey,
  id: number,
  input: RecordInput & { version: number; confirmWarnings?: boolean | undefined },
) {
  const current = getRecord(db, actor, kindKey, id);
  checkWritable(current, 'edit');
  // a record moved into another year may not enter one its side has submitted
  if (input.year !== current.record.year && lockedSides(db, current.record.pairingId, input.year).includes(current.record.side))
    throw new ValidationError({ year: { key: 'records.rule.yearLocked', params: { year: input.year } } });
  const kind = current.kind;
  const pairing = {
    id: current.record.pairingId,
    assistedCode: current.pairing.assistedCode,
    startYear: current.pairing.pairingStart,
    endYear: current.pairing.pairingEnd,
  };
  validate(db, kind, pairing, input, id);
  const level = { id: pairing.id, level: current.pairing.pairingLevel };
  const warnings = confirmedWarnings(recordWarnings(db, kind.key, level, input, current.record), input.confirmWarnings);
  const values = updatedValues(kind, input, current.record);
  db.transaction((tx) => {
    if (!q.updateRecordAt(tx, kind.table, id, input.version, { ...values, updatedBy: actorId(actor) }))
      throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'update',
      entity: entity(kind),
      entityId: id,
      pairingId: pairing.id,
      before: current.record,
      after: q.getRecordRow(tx, kind.table, id),
      warnings,
    });
  });
  return getRecord(db, actor, kindKey, id);
}

/** Refuses a confirmation the policy does not allow now: 403 off the confirming side, else why not. */
export function checkConfirm(found: { can: RecordCapabilities }) {
  const blocked = found.can.confirmBlocked;
  if (blocked === 'notYourSide') throw new ForbiddenError('records.rule.confirmByAssisted');
  if (blocked) throw new ConflictError(`records.rule.${blocked}`);
}

/**
 * The assisted side confirms a transfer: the amount received equal to the disbursed amount makes
 * it confirmed, any other amount records a mismatch that both sides see.
 */
export function confirmFund(db: Db, actor: Actor, id: number, input: { receivedFen: number; version: number }) {
  const current = getRecord(db, actor, 'funds', id);
  const expected = Number(current.record.disbursedFen ?? 0);
  checkConfirm(current);
  const confirmation = input.receivedFen === expected ? 'confirmed' : 'mismatch';
  const values = { confirmation, receivedFen: input.receivedFen, confirmedBy: actorId(actor), confirmedAt: new Date() };
  db.transaction((tx) => {
    if (!q.updateRecordAt(tx, current.kind.table, id, input.version, values)) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'confirm',
      entity: entity(current.kind),
      entityId: id,
      pairingId: current.record.pairingId,
      before: { confirmation: current.record.confirmation, receivedFen: current.record.receivedFen },
      after: { confirmation, receivedFen: input.receivedFen },
    });
  });
  return getRecord(db, actor, 'funds', id);
}

/** Deletes are soft: the row stays, hidden, and an admin can restore it. */
export function deleteRecord(db: Db, actor: Actor, kindKey: RecordKindKey, id: number, version: number) {
  const current = getRecord(db, actor, kindKey, id);
  checkWritable(current, 'delete');
  db.transaction((tx) => {
    if (!q.updateRecordAt(tx, current.kind.table, id, version, { deletedAt: new Date(), updatedBy: actorId(actor) }))
      throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'delete',
      entity: entity(current.kind),
      entityId: id,
      pairingId: current.record.pairingId,
      before: current.record,
    });
  });
  return current;
}

export function restoreRecord(db: Db, actor: Actor, kindKey: RecordKindKey, id: number) {
  if (actor.role !== 'admin') throw new ForbiddenError();
  const kind = kindOf(kindKey);
  const found = q.findRecord(db, kind.table, id, null, { deleted: true });
  if (!found) throw new NotFoundError();
  const { pairingId, year, side } = found.record as unknown as { pairingId: number; year: number; side: Side };
  if (lockedSides(db, pairingId, year).includes(side)) throw new ConflictError('records.rule.yearLocked', { year });
  db.transaction((tx) => {
    q.updateRecordAt(tx, kind.table, id, found.record.version, { deletedAt: null, updatedBy: actorId(actor) });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'restore',
      entity: entity(kind),
      entityId: id,
      pairingId: found.record.pairingId,
    });
  });
  return found;
}

/** Deleted records of every kind, newest first, for the admin's restore page. */
export function listDeletedRecords(db: Db, actor: Actor, limit = 100) {
  if (actor.role !== 'admin') throw new ForbiddenError();
  return Object.values(RECORD_KINDS).flatMap((kind) => q.listDeleted(db, kind.table, limit).map((r) => ({ ...r, kind })));
}

/** The comments on a record the actor has loaded (getRecord checked the scope). */
export function commentsOnRecord(db: Db, found: { kind: RecordKind; record: { id: number } }) {
  return commentsOn(db, entity(found.kind), found.record.id);
}

/** A remark on a record, by anyone in scope the policy lets comment (the other side above all). */
export function commentOnRecord(db: Db, actor: Actor, kindKey: RecordKindKey, id: number, body: unknown) {
  const found = getRecord(db, actor, kindKey, id);
  if (!found.can.comment) throw new ForbiddenError();
  return addComment(
    db,
    actor,
    { entity: entity(found.kind), entityId: id, pairingId: found.record.pairingId },
    sideOf(actor, found.pairing),
    body,
  );
}
