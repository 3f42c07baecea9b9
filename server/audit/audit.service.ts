import type { Db, DbOrTx } from '../../db/client.ts';
import { keeperOn } from '../lib/data-version.ts';
import { auditLog } from '../../db/schema/index.ts';
import * as q from './audit.queries.ts';
import { sql } from 'drizzle-orm';
import { preparedFor } from '../lib/prepared.ts';

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

/** The history of one entity, oldest first, with who made each change. */
export function historyOf(db: DbOrTx, entity: string, entityId: string | number) {
  return q.listForEntity(db, entity, String(entityId)).map((row) => ({ ...row, changed: changedFields(row.before, row.after) }));
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
  return keptWhileLogStands(db, `recent ${pairingId} ${limit}`, () => Object.freeze(q.listForPairing(db, pairingId, limit)));
}
