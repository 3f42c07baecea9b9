import type { Db, DbOrTx } from '../../db/client.ts';
import { auditLog } from '../../db/schema/index.ts';
import * as q from './audit.queries.ts';

export interface AuditEntry {
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string | number;
  pairingId?: number | null;
  before?: unknown;
  after?: unknown;
}

/** Call inside the transaction that makes the change, so the row exists exactly when the change does. */
export function recordAudit(tx: DbOrTx, entry: AuditEntry): void {
  tx.insert(auditLog)
    .values({
      actorId: entry.actorId,
      action: entry.action,
      entity: entry.entity,
      entityId: String(entry.entityId),
      pairingId: entry.pairingId ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
    })
    .run();
}

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
 * The latest changes under a pairing (the pairing itself, its agreements, records and comments).
 * The audit log only grows, so its last id names all of it: a pairing's list is kept until a new
 * row is written anywhere — by any process — and every pairing page asks for it (up to 1,000 kept).
 */
const recentKept = new WeakMap<object, { lastId: number; lists: Map<string, ReturnType<typeof q.listForPairing>> }>();
const RECENT_KEPT = 1000;

export function recentForPairing(db: Db, pairingId: number, limit = 10) {
  if (db.$client.inTransaction) return q.listForPairing(db, pairingId, limit);
  const lastId = q.lastAuditId(db);
  let kept = recentKept.get(db.$client);
  if (!kept || kept.lastId !== lastId) recentKept.set(db.$client, (kept = { lastId, lists: new Map() }));
  const key = `${pairingId} ${limit}`;
  let list = kept.lists.get(key);
  if (!list) {
    list = Object.freeze(q.listForPairing(db, pairingId, limit)) as ReturnType<typeof q.listForPairing>;
    if (kept.lists.size >= RECENT_KEPT) kept.lists.delete(kept.lists.keys().next().value!);
    kept.lists.set(key, list);
  }
  return list;
}
