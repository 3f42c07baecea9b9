import { desc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { auditLog, users } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

/** A change in a list of recent ones: who did what to which thing, without its before and after. */
const recentColumns = {
  id: auditLog.id,
  at: auditLog.at,
  action: auditLog.action,
  entity: auditLog.entity,
  entityId: auditLog.entityId,
  actorName: users.displayName,
  importId: auditLog.importId,
};

/**
 * One thing's history, newest first, a page at a time, along audit_entity_idx (its rows are in id
 * order under the thing's key: no sort).
 */
export const ENTITY_PAGE_SQL = `SELECT a.id, a.created_at AS at, a.action, a.entity, a.entity_id AS entityId, a.before, a.after,
  a.import_id AS importId, u.display_name AS actorName
  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
  WHERE a.entity = ? AND a.entity_id = ? ORDER BY a.id DESC LIMIT ? OFFSET ?`;

export const ENTITY_COUNT_SQL = `SELECT count(*) FROM audit_log WHERE entity = ? AND entity_id = ?`;

export function entityCount(db: Db, entity: string, entityId: string): number {
  return db.$client.prepare(ENTITY_COUNT_SQL).pluck().get(entity, entityId) as number;
}

export function pageOfEntity(db: Db, entity: string, entityId: string, limit: number, offset: number): AuditRow[] {
  return parsed(db.$client.prepare(ENTITY_PAGE_SQL).all(entity, entityId, limit, offset) as RawRow[]);
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

/**
 * A pairing's history as entries: a change of its own, or an import's changes under it taken as
 * one (its undo is another). Newest first, a page at a time; the pairing's rows are read along
 * audit_pairing_idx and grouped there (a pairing holds hundreds of rows, not the log's millions).
 */
const ENTRY_KEY = `CASE WHEN import_id IS NULL THEN -id ELSE import_id * 2 + (action = 'undo-import') END`;

export const ENTRIES_SQL = `SELECT min(id) AS first, max(id) AS last, count(*) AS rows, import_id AS importId
  FROM audit_log WHERE pairing_id = ? GROUP BY ${ENTRY_KEY} ORDER BY last DESC LIMIT ? OFFSET ?`;

export const ENTRY_COUNT_SQL = `SELECT count(DISTINCT ${ENTRY_KEY}) FROM audit_log WHERE pairing_id = ?`;

/**
 * The rows of one entry (between its first and last id under the pairing), oldest first, up to a
 * limit. Along the pairing's index (`+` keeps audit_import_idx out: an import's ids under one
 * pairing may span the whole import).
 */
export const ENTRY_ROWS_SQL = `SELECT a.id, a.created_at AS at, a.action, a.entity, a.entity_id AS entityId, a.before, a.after,
  a.import_id AS importId, u.display_name AS actorName
  FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
  WHERE a.pairing_id = ? AND a.id BETWEEN ? AND ? AND +a.import_id IS ? ORDER BY a.id LIMIT ?`;

export interface EntryRow {
  first: number;
  last: number;
  rows: number;
  importId: number | null;
}

export interface AuditRow {
  id: number;
  at: Date;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
  importId: number | null;
  actorName: string | null;
}

export function entryCount(db: Db, pairingId: number): number {
  return db.$client.prepare(ENTRY_COUNT_SQL).pluck().get(pairingId) as number;
}

export function entriesOf(db: Db, pairingId: number, limit: number, offset: number): EntryRow[] {
  return db.$client.prepare(ENTRIES_SQL).all(pairingId, limit, offset) as EntryRow[];
}

/** An entry's rows as the drizzle queries give them (at as a Date, before/after parsed). */
export function rowsOfEntry(db: Db, pairingId: number, entry: EntryRow, limit: number): AuditRow[] {
  return parsed(db.$client.prepare(ENTRY_ROWS_SQL).all(pairingId, entry.first, entry.last, entry.importId, limit) as RawRow[]);
}

type RawRow = Omit<AuditRow, 'at' | 'before' | 'after'> & { at: number; before: string | null; after: string | null };

const json = (v: string | null): unknown => (v === null ? null : JSON.parse(v));
const parsed = (raw: RawRow[]): AuditRow[] =>
  raw.map((r) => ({ ...r, at: new Date(r.at), before: json(r.before), after: json(r.after) }));
