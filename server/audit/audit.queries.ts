import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { auditLog, users } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

/** A change in a list of recent ones: who did what to which thing, without its before and after (a record each). */
const recentColumns = {
  id: auditLog.id,
  at: auditLog.at,
  action: auditLog.action,
  entity: auditLog.entity,
  entityId: auditLog.entityId,
  actorName: users.displayName,
};

/** A change with the thing as it was before and after (its history). */
const columns = { ...recentColumns, before: auditLog.before, after: auditLog.after };

const forEntity = preparedFor((db) =>
  db
    .select(columns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(and(eq(auditLog.entity, sql.placeholder('entity')), eq(auditLog.entityId, sql.placeholder('entityId'))))
    .orderBy(asc(auditLog.id))
    .prepare(),
);

/** One thing's history, oldest first (every record page shows it; prepared once). */
export function listForEntity(db: DbOrTx, entity: string, entityId: string) {
  return forEntity(db).all({ entity, entityId });
}

const forPairing = preparedFor((db) =>
  db
    .select(recentColumns)
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(eq(auditLog.pairingId, sql.placeholder('pairingId')))
    .orderBy(desc(auditLog.id))
    .limit(sql.placeholder('limit'))
    .prepare(),
);

/** The latest changes under a pairing (its page shows them; prepared once). */
export function listForPairing(db: DbOrTx, pairingId: number, limit: number) {
  return forPairing(db).all({ pairingId, limit });
}

/** The last row's id (0 for none): the log only grows, so this names its content. */
export function lastAuditId(db: Db): number {
  // the connection keeps the statement (db/client.ts): pluck is set on each use
  return (db.$client.prepare('SELECT max(id) FROM audit_log').pluck().get() as number | null) ?? 0;
}
