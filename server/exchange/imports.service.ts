import type { Db } from '../../db/client.ts';
import type { ImportAction } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { pageWindow } from '../lib/pagination.ts';
import { sqliteErrorOf } from '../lib/sqlite-errors.ts';
import { samePlan, type KeptPlan } from '../lib/bulk.ts';
import { targetOf, isTargetKey, type ImportTarget } from './exchange.targets.ts';
import { formatOf } from './exchange.read.ts';
import { Resolver } from './exchange.rows.ts';
import { basisOf, runCheck, type Upload } from './imports.check.ts';
import { IMPORTERS, canImport, commitRefusal, undoRefusal } from './imports.policy.ts';
import * as q from './imports.queries.ts';

/**
 * Imports of records: a file is checked first (the dry run: every row's outcome stored, nothing
 * changed), then committed in one transaction or not at all, and can be undone as a whole while
 * no later edit touched its rows. Rows are planned by the records domain (records.bulk.ts) with
 * the same rules, scope and ownership as its forms.
 */
export { IMPORTERS, canImport };
/** The outcomes an import's page lists rows by. */
export const SHOWN_ACTIONS = ['error', 'create', 'update', 'unchanged'] as const;

/** An import the actor may see: its own, or any for an admin (404 otherwise). */
export function getImport(db: Db, actor: Actor, id: number) {
  const found = q.findImport(db, id);
  if (!found || (actor.role !== 'admin' && found.entry.userId !== actor.id)) throw new NotFoundError();
  return found;
}

export function listImports(db: Db, actor: Actor, page: number | undefined) {
  if (!canImport(actor)) throw new ForbiddenError();
  const mine = actor.role === 'admin' ? undefined : actor.id;
  const total = q.listImports(db, mine, 0, 0).total;
  const w = pageWindow(page, total);
  return { ...w, total, items: q.listImports(db, mine, w.pageSize, w.offset).items };
}

/** Every import the list shows (its export): the actor's own, or everyone's for an admin. */
export function allImports(db: Db, actor: Actor) {
  if (!canImport(actor)) throw new ForbiddenError();
  return q.listImports(db, actor.role === 'admin' ? undefined : actor.id, -1, 0).items;
}

/** A page of an import's rows with one outcome; the counts the check stored say how many there are. */
export function importRowsPage(db: Db, entry: q.ImportRow, action: ImportAction, page: number | undefined) {
  const total = { create: entry.creates, update: entry.updates, unchanged: entry.unchanged, error: entry.errors, header: 0 }[
    action
  ];
  const w = pageWindow(page, total);
  return { ...w, total, items: q.rowsOf(db, entry.id, action, w.pageSize, w.offset) };
}

export type { Upload };
export { failInterruptedImports } from './imports.check.ts';

/**
 * Starts checking an uploaded file: the import entry exists at once (its page shows the progress);
 * `done` settles when every row is checked. A file of the wrong type is refused before that.
 */
export function startImport(db: Db, actor: Actor, kindKey: string, upload: Upload) {
  if (!canImport(actor)) throw new ForbiddenError();
  if (!isTargetKey(kindKey)) throw new NotFoundError();
  const target = targetOf(kindKey);
  const format = formatOf(upload.name, upload.head);
  const entry = db.transaction((tx) => {
    const row = q.insertImport(tx, {
      userId: actor.id,
      kind: kindKey,
      fileName: upload.name.slice(0, 200),
      format,
      fileBytes: upload.bytes,
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'upload',
      entity: 'import',
      entityId: row.id,
      after: { fileName: row.fileName, kind: kindKey },
    });
    return row;
  });
  return { entry, done: runCheck(db, actor, target, entry.id, upload, format) };
}

function ownImport(db: Db, actor: Actor, id: number) {
  const found = getImport(db, actor, id);
  if (!canImport(actor)) throw new ForbiddenError();
  return found.entry;
}

/** A checked import without bad rows, of the actor's, or why it cannot be committed. */
export function readyToCommit(db: Db, actor: Actor, id: number): q.ImportRow {
  const entry = ownImport(db, actor, id);
  const refusal = commitRefusal(actor, entry);
  if (refusal === 'import.notYours') throw new ForbiddenError(refusal);
  if (refusal) throw new ConflictError(refusal);
  if (entry.errors > 0) throw new ConflictError('import.hasErrors', { count: entry.errors });
  return entry;
}

/** A committed import of the actor's, or why it cannot be undone. */
export function readyToUndo(db: Db, actor: Actor, id: number): q.ImportRow {
  const entry = ownImport(db, actor, id);
  const refusal = undoRefusal(actor, entry);
  if (refusal === 'import.notYours') throw new ForbiddenError(refusal);
  if (refusal) throw new ConflictError(refusal);
  return entry;
}

/**
 * Applies a checked import in one transaction: every row is planned again against the data as it
 * is now and must come out as the dry run said, else nothing is applied ("check again"). Its state
 * is read again inside the transaction: two commits of one import (two threads, two clicks)
 * apply it once.
 */
export function commitImport(db: Db, actor: Actor, id: number) {
  const entry = readyToCommit(db, actor, id);
  const target = targetOf(entry.kind);
  try {
    applyAll(db, actor, target, entry);
  } catch (e) {
    // a ledger number taken since the dry run: the kept plan no longer holds
    if (sqliteErrorOf(e)?.code === 'SQLITE_CONSTRAINT_UNIQUE') throw new ConflictError('import.staleRef');
    throw e;
  }
}

function applyAll(db: Db, actor: Actor, target: ImportTarget, entry: q.ImportRow) {
  const id = entry.id;
  db.transaction(
    () => {
      const now = q.findImport(db, id)?.entry;
      if (now?.status !== 'checked')
        throw new ConflictError(now?.status === 'committed' ? 'import.alreadyCommitted' : 'import.notCheckable');
      // the structure and the actor as at the dry run: its plans hold, each checked as it is applied
      const kept = entry.basis !== null && entry.basis === basisOf(db, actor);
      const resolver = new Resolver(db, actor);
      for (const row of q.allRowsOf(db, id, ['create', 'update', 'unchanged'])) {
        const stored = row.plan as KeptPlan;
        // an unchanged line only needs its row as it was; a change is made again unless nothing it rests on moved
        const plan = kept || stored.unchanged ? target.kept(db, stored) : target.again(db, actor, stored, resolver);
        if (!samePlan(plan, stored, row.action)) throw new ConflictError('import.stale', { row: row.rowNo });
        if (row.action !== 'unchanged' && target.apply(db, actor, plan!, id) === undefined)
          throw new ConflictError('import.stale', { row: row.rowNo });
      }
      q.updateImport(db, id, { status: 'committed', committedAt: new Date() });
      recordAudit(db, {
        actorId: actorId(actor),
        action: 'commit',
        entity: 'import',
        entityId: id,
        after: { fileName: entry.fileName, kind: entry.kind, creates: entry.creates, updates: entry.updates },
        importId: id,
      });
    },
    { behavior: 'immediate' },
  );
}

/** A commit or an undo, as a thread is given it (imports.thread.ts). */
export function runImportJob(db: Db, actor: Actor, id: number, op: 'commit' | 'undo'): void {
  if (op === 'commit') commitImport(db, actor, id);
  else undoImport(db, actor, id);
}

/** Undoes a committed import as a whole, or refuses (nothing changed) when a later edit touched one of its records. */
export function undoImport(db: Db, actor: Actor, id: number) {
  const entry = readyToUndo(db, actor, id);
  const target = targetOf(entry.kind);
  try {
    db.transaction(
      () => {
        const now = q.findImport(db, id)?.entry;
        if (now?.status !== 'committed')
          throw new ConflictError(now?.status === 'undone' ? 'import.alreadyUndone' : 'import.notCommitted');
        let touched = 0;
        for (const c of q.changesOf(db, id)) {
          if (!target.undo(db, actor, { action: c.action, entityId: Number(c.entityId), before: c.before, after: c.after }, id))
            touched += 1;
        }
        if (touched > 0) throw new ConflictError('import.undo.touched', { count: touched });
        q.updateImport(db, id, { status: 'undone', undoneAt: new Date() });
        recordAudit(db, { actorId: actorId(actor), action: 'undo', entity: 'import', entityId: id, importId: id });
      },
      { behavior: 'immediate' },
    );
  } catch (e) {
    if (sqliteErrorOf(e)?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new ConflictError('import.undo.referenced');
    throw e;
  }
}
