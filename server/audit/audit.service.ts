import type { Db, DbOrTx } from '../../db/client.ts';
import { keeperOn } from '../lib/data-version.ts';
import { auditLog } from '../../db/schema/index.ts';
import * as q from './audit.queries.ts';

export type { AuditRow } from './audit.queries.ts';
import { sql } from 'drizzle-orm';
import { preparedFor } from '../lib/prepared.ts';
import { pageWindow } from '../lib/pagination.ts';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  pairingId?: number | null;
  before?: unknown;
  after?: unknown;
  /** The import that made the change (an import is listed and undone by its rows). */
  importId?: number | null;
  /** The plausibility warnings the user confirmed with the change (records.warnings.ts rule ids). */
  warnings?: readonly string[] | null;
}

/** Call inside the transaction that makes the change, so the row exists exactly when the change does. */
export function recordAudit(tx: DbOrTx, entry: AuditEntry): void {
  insertAudit(tx).run({
    actorId: entry.actorId,
    action: entry.action,
    entity: entry.entity,
    entityId: String(entry.entityId),
    pairingId: entry.pairingId ?? null,
    before: entry.before ?? null,
    after: entry.after ?? null,
    importId: entry.importId ?? null,
    warnings: entry.warnings && entry.warnings.length > 0 ? [...entry.warnings] : null,
  });
}

const rawInsert = preparedFor((db) =>
  (db as Db).$client.prepare(
    'INSERT INTO audit_log (actor_id, action, entity, entity_id, pairing_id, before, after, import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ),
);

/**
 * recordAudit for the connection itself (not a transaction's handle), as a plain prepared
 * statement: an import writes one row per record it changes, up to 100,000 in one transaction.
 * Values are stored as recordAudit stores them (JSON text).
 */
export function recordAuditFast(db: Db, entry: AuditEntry): void {
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
  rawInsert(db).run(
    entry.actorId,
    entry.action,
    entry.entity,
    String(entry.entityId),
    entry.pairingId ?? null,
    json(entry.before),
    json(entry.after),
    entry.importId ?? null,
  );
}

/** The audit insert, prepared once per handle (an import writes one per record it changes). */
const insertAudit = preparedFor((db) =>
  db
    .insert(auditLog)
    .values({
      actorId: sql.placeholder('actorId'),
      action: sql.placeholder('action'),
      entity: sql.placeholder('entity'),
      entityId: sql.placeholder('entityId'),
      pairingId: sql.placeholder('pairingId'),
      before: sql.placeholder('before'),
      after: sql.placeholder('after'),
      importId: sql.placeholder('importId'),
      warnings: sql.placeholder('warnings'),
    })
    .prepare(),
);

/** A page of one thing's history, newest first, with who made each change. */
export function historyPageOf(db: Db, entity: string, entityId: string | number, requested: number | undefined, pageSize = 25) {
  const total = q.entityCount(db, entity, String(entityId));
  const w = pageWindow(requested, total, pageSize);
  return { rows: q.pageOfEntity(db, entity, String(entityId), w.pageSize, w.offset), page: w.page, pages: w.pages, total };
}

/** Columns that are the system's bookkeeping: never a change of their own. */
export const BOOKKEEPING: ReadonlySet<string> = new Set([
  'version',
  'updatedAt',
  'createdAt',
  'updatedBy',
  'createdBy',
  'id',
  'pairingId',
]);

/** The fields an update changed (for "what changed" at a glance; the full values stay in the row). */
export function changedFields(before: unknown, after: unknown): string[] {
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) return [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  // most fields did not change: equal values skip the JSON comparison
  const differs = (x: unknown, y: unknown) => x !== y && JSON.stringify(x) !== JSON.stringify(y);
  return Object.keys(b).filter((k) => !BOOKKEEPING.has(k) && k in a && differs(a[k] ?? null, b[k] ?? null));
}

/**
 * Results that depend on the audit log only (a pairing's recent changes, a thing's history as read):
 * the log only grows, so its last id names all of it. They are kept until a new row is written
 * anywhere, by any process (up to 1,000 kept).
 */
export const keptWhileLogStands = keeperOn((db) => q.lastAuditId(db), 1000);

/** The latest changes under a pairing (the pairing itself, its agreements, records and comments). */
export function recentForPairing(db: Db, pairingId: number, limit = 10) {
  return keptWhileLogStands(db, `recent ${pairingId} ${limit}`, () => {
    const rows = q.listForPairing(db, pairingId, limit);
    // most often no import among them: the latest rows as they are, one line each
    if (rows.every((r) => r.importId === null)) return Object.freeze(rows.map((r) => ({ ...r, count: 1 })));
    // an import's changes under the pairing as one line (its first, with their count), as the history tab has them
    const entries = q.entriesOf(db, pairingId, limit, 0).map((e) => {
      const { id, at, action, entity, entityId, actorName, importId } = q.rowsOfEntry(db, pairingId, e, 1)[0]!;
      return { id, at, action, entity, entityId, actorName, importId, count: e.rows };
    });
    return Object.freeze(entries);
  });
}

/** An entry of a pairing's history: one change, or an import's changes under the pairing taken as one. */
export interface HistoryEntry {
  importId: number | null;
  /** How many changes it holds (one unless an import made it). */
  count: number;
  /** An import's undo rather than the import itself. */
  undo: boolean;
  /** Its changes, oldest first: all of a single one, the first `shownPerGroup` of an import's. */
  rows: q.AuditRow[];
}

/**
 * A page of a pairing's history, newest first: the pairing's own changes and those of its
 * agreements and records, an import's (or its undo's) taken as one entry however many rows it
 * changed. Kept until the log grows.
 */
export function pairingHistoryPage(db: Db, pairingId: number, requested: number | undefined, pageSize = 25, shownPerGroup = 20) {
  return keptWhileLogStands(db, `pairing history ${pairingId} ${requested ?? 1} ${pageSize}`, () => {
    const total = q.entryCount(db, pairingId);
    const w = pageWindow(requested, total, pageSize);
    const entries: HistoryEntry[] = q.entriesOf(db, pairingId, w.pageSize, w.offset).map((e) => {
      const rows = q.rowsOfEntry(db, pairingId, e, e.importId === null ? 1 : shownPerGroup);
      return { importId: e.importId, count: e.rows, undo: rows[0]?.action === 'undo-import', rows };
    });
    return Object.freeze({ entries, page: w.page, pages: w.pages, pageSize: w.pageSize, total });
  });
}
