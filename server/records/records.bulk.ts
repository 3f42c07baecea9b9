import type { Db, DbOrTx } from '../../db/client.ts';
import type { Side } from '../../db/schema/index.ts';
import { recordAudit, recordAuditFast } from '../audit/audit.service.ts';
import { commentsOn } from '../comments/comments.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../lib/errors.ts';
import { lockedSides } from '../reports/reports.service.ts';
import type { ImportedChange, KeptPlan, RowPlan } from '../lib/bulk.ts';
import type { PairingView } from '../pairings/pairings.service.ts';
import { scopePrefixOf } from '../pairings/pairings.service.ts';
import { formFields, type RecordInput, type RecordKind } from './records.kinds.ts';
import { newRecordLocked, recordCapabilities } from './records.policy.ts';
import * as q from './records.queries.ts';
import { recordErrors, sideOfNew, toRow, updatedValues } from './records.service.ts';
import { translator } from '../lib/i18n.ts';
import { warningText } from '../lib/present.ts';
import type { FieldErrors } from '../lib/validation.ts';
import { recordWarnings } from './records.warnings.ts';
import { countFiles } from './records.files.queries.ts';

const zh = translator('zh-CN');

/**
 * An import does not confirm implausible values (records.warnings.ts): a row that trips a warning
 * is refused with the warning's words (in Chinese, as the file's other messages), to be corrected
 * or entered through the form, where the user confirms it. One tick for a whole file would confirm
 * values no one has looked at.
 */
function warningErrors(
  db: Db,
  kind: RecordKind,
  pairing: PairingView,
  input: RecordInput,
  current?: Record<string, unknown>,
): FieldErrors {
  const errors: FieldErrors = {};
  for (const w of recordWarnings(db, kind.key, pairing, input, current))
    errors[w.field] ??= { key: 'import.row.warning', params: { warning: warningText(w, zh, 'wan') } };
  return errors;
}

/**
 * Many records at once (an import): each row is planned with the same rules, ownership and scope
 * as a form (records.service.ts, records.policy.ts), then applied in the caller's one transaction
 * with an audit row naming the import. Planning never throws for what a row holds: a row's
 * problems come back as field errors.
 */
export type { RowPlan };

/** The live record of a pairing with this ledger number (the import's natural key). */
function byRef(db: Db, kind: RecordKind, pairingId: number, ref: string): q.RecordRow | undefined {
  return q.recordByRef(db, kind.table, pairingId, ref);
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/**
 * What one row would do. `id` names a record of the platform; without it, the ledger number
 * within the pairing decides between update and create, never a guess.
 */
export function planRecordRow(
  db: Db,
  actor: Actor,
  kind: RecordKind,
  pairing: PairingView,
  input: RecordInput & { side?: Side | undefined },
  id: number | undefined,
  /** The sides whose report of a year locks their records (reports.service.ts lockedSides). */
  lockedOf: (year: number) => readonly Side[],
): RowPlan {
  const locked = lockedOf(input.year);
  let existing: q.RecordRow | undefined;
  // found by its ledger number, or none has it: the number is the row's own
  const refKnownFree = id === undefined;
  if (id !== undefined) {
    const found = q.findRecord(db, kind.table, id, scopePrefixOf(actor));
    if (!found || found.record.pairingId !== pairing.id)
      return { action: 'error', errors: { id: { key: 'import.row.idUnknown' } } };
    existing = found.record;
  } else if (typeof input.ref === 'string') {
    existing = byRef(db, kind, pairing.id, input.ref);
    if (existing?.deletedAt) return { action: 'error', errors: { ref: { key: 'import.row.refDeleted' } } };
  }
  const checked = { id: pairing.id, assistedCode: pairing.assistedCode, startYear: pairing.startYear, endYear: pairing.endYear };
  if (existing) {
    const record = existing as q.RecordRow & { side: Side };
    // neither the year it is in nor the one it would move to may be locked for its side
    const from = Number(record.year);
    const can = recordCapabilities(actor, kind, pairing, record, lockedOf(from));
    if (can.locked.includes(record.side))
      return { action: 'error', errors: { year: { key: 'records.rule.yearLocked', params: { year: from } } } };
    if (locked.includes(record.side))
      return { action: 'error', errors: { year: { key: 'records.rule.yearLocked', params: { year: input.year } } } };
    if (!can.edit) return { action: 'error', errors: { side: { key: `records.rule.ownedBy.${record.side}` } } };
    const errors = recordErrors(db, kind, checked, input, existing.id, refKnownFree);
    Object.assign(errors, { ...warningErrors(db, kind, pairing, input, existing), ...errors });
    if (Object.keys(errors).length > 0) return { action: 'error', errors };
    const values = updatedValues(kind, input, existing);
    // the form's fields, and the workflow's a change resets (a transfer's confirmation)
    const changed = [...formFields(kind), ...(kind.stateFields ?? [])]
      .map((f) => f.name)
      .filter((f) => f in values && !same(values[f], existing[f]));
    if (changed.length === 0) return { action: 'unchanged', id: existing.id, version: existing.version };
    return { action: 'update', id: existing.id, version: existing.version, values, before: existing, changed };
  }
  let side: Side;
  try {
    if (locked.length > 0 && newRecordLocked(actor, kind, pairing, locked, input.side))
      return { action: 'error', errors: { year: { key: 'records.rule.yearLocked', params: { year: input.year } } } };
    side = sideOfNew(recordCapabilities(actor, kind, pairing, undefined, locked), kind, input.side);
  } catch (e) {
    if (e instanceof ValidationError) return { action: 'error', errors: e.fields };
    if (e instanceof ForbiddenError) return { action: 'error', errors: { side: { key: e.messageKey } } };
    throw e;
  }
  const errors = recordErrors(db, kind, checked, input, undefined, refKnownFree);
  Object.assign(errors, { ...warningErrors(db, kind, pairing, input), ...errors });
  if (Object.keys(errors).length > 0) return { action: 'error', errors };
  return { action: 'create', values: { ...toRow(kind, input), side, pairingId: pairing.id } };
}

/**
 * A plan kept from a dry run, as applyRowPlan takes it: a create as it was, an update with the
 * record as it is now (undefined when it has changed since: the plan no longer holds).
 */
export function keptRowPlan(db: DbOrTx, kind: RecordKind, kept: KeptPlan): RowPlan | undefined {
  const linksLive = (pairingId: number) => {
    const project = kept.values.projectId;
    return typeof project !== 'number' || q.projectIdsOf(db, pairingId).has(project);
  };
  if (kept.id === undefined)
    return linksLive(Number(kept.values.pairingId)) ? { action: 'create', values: kept.values } : undefined;
  const before = q.getRecordRow(db, kind.table, kept.id);
  if (!before || before.version !== kept.version || before.deletedAt) return undefined;
  if (kept.unchanged) return { action: 'unchanged', id: kept.id, version: kept.version };
  if (!linksLive(before.pairingId)) return undefined;
  return { action: 'update', id: kept.id, version: kept.version, values: kept.values, before, changed: [] };
}

/** The pairing a record belongs to (deleted or not), or undefined when there is no such record. */
export function recordPairing(db: DbOrTx, kind: RecordKind, id: number): number | undefined {
  return q.getRecordRow(db, kind.table, id)?.pairingId;
}

/** Applies a planned create or update inside the import's transaction, audited under the import. */
export function applyRowPlan(tx: Db, actor: Actor, kind: RecordKind, plan: RowPlan, importId: number): number | undefined {
  const by = actorId(actor);
  const entity = `record.${kind.key}`;
  if (plan.action === 'create') {
    const values: Record<string, unknown> = { ...plan.values, createdBy: by, updatedBy: by };
    const id = q.insertRecordFast(tx, kind, values);
    // the record as created (a new record's version is 1: an undo checks that no edit came after)
    const after = { id, ...values, version: 1 };
    recordAuditFast(tx, {
      actorId: by,
      action: 'create',
      entity,
      entityId: id,
      pairingId: values.pairingId as number,
      after,
      importId,
    });
    return id;
  }
  if (plan.action === 'update') {
    if (!q.updateRecordAt(tx, kind.table, plan.id, plan.version, { ...plan.values, updatedBy: by })) return undefined;
    const after = q.getRecordRow(tx, kind.table, plan.id);
    recordAudit(tx, {
      actorId: by,
      action: 'update',
      entity,
      entityId: plan.id,
      pairingId: Number(plan.before.pairingId),
      before: plan.before,
      after,
      importId,
    });
    return plan.id;
  }
  return undefined;
}

/**
 * Undoes one audited change of an import, if the record is still as the import left it (its
 * version): a created record is removed, an updated one gets its earlier values back. Returns
 * false when a later edit touched it.
 */
export function undoChange(tx: Db, actor: Actor, kind: RecordKind, change: ImportedChange, importId: number): boolean {
  const current = q.getRecordRow(tx, kind.table, change.entityId);
  const after = change.after as { version: number } | null;
  if (!current || !after || current.version !== after.version || current.deletedAt) return false;
  // a year its side has submitted is not changed by an undo either (the report is returned first)
  const before = change.before as { year?: number } | null;
  for (const year of new Set([Number(current.year), ...(before?.year === undefined ? [] : [Number(before.year)])]))
    if (lockedSides(tx, current.pairingId, year).includes(current.side as Side))
      throw new ConflictError('import.undo.locked', { year });
  const by = actorId(actor);
  const entity = `record.${kind.key}`;
  const audit = {
    actorId: by,
    action: 'undo-import',
    entity,
    entityId: change.entityId,
    pairingId: current.pairingId,
    before: current,
    importId,
  };
  if (change.action === 'create') {
    // a record the other side has commented on, or one carrying files, is in use: removing it would
    // orphan the remarks or the vouchers
    if (commentsOn(tx, entity, change.entityId).length > 0 || countFiles(tx, kind.key, change.entityId) > 0) return false;
    q.deleteRecordRow(tx, kind.table, change.entityId);
    recordAudit(tx, audit);
    return true;
  }
  const previous = change.before as Record<string, unknown>;
  const restore: Record<string, unknown> = Object.fromEntries(formFields(kind).map((f) => [f.name, previous[f.name] ?? null]));
  for (const f of kind.stateFields ?? []) restore[f.name] = previous[f.name];
  for (const f of ['receivedFen', 'confirmedBy', 'confirmedAt']) if (f in previous) restore[f] = previous[f];
  if (typeof restore.confirmedAt === 'number' || typeof restore.confirmedAt === 'string')
    restore.confirmedAt = new Date(restore.confirmedAt);
  if (!q.updateRecordAt(tx, kind.table, change.entityId, current.version, { ...restore, updatedBy: by })) return false;
  recordAudit(tx, { ...audit, after: q.getRecordRow(tx, kind.table, change.entityId) });
  return true;
}
