import type { Db } from '../../db/client.ts';
import type { NotificationKind, RegionLevel, Role, Side } from '../../db/schema/index.ts';

/**
 * The notifications' own rows (a user's list and unread count, every page asks the count) and what
 * the daily digest reads of the other domains' tables: deadlines and reports, funds waiting for
 * confirmation, and the audit rows written since the last run.
 */
export interface NotificationRow {
  id: number;
  kind: NotificationKind;
  link: string;
  params: string | null;
  createdAt: number;
  readAt: number | null;
}

/** The header's unread count: one search of the partial index of unread rows (asserted in test/unit/plans-notifications). */
export const UNREAD_SQL = 'SELECT count(*) FROM notifications WHERE user_id = ? AND read_at IS NULL';

export function countUnread(db: Db, userId: number): number {
  return db.$client.prepare(UNREAD_SQL).pluck().get(userId) as number;
}

/** A page of the user's list, newest first (the (user_id, id) index, walked backwards). */
export const LIST_SQL = `SELECT id, kind, link, params, created_at AS createdAt, read_at AS readAt
  FROM notifications WHERE user_id = ? ORDER BY id DESC LIMIT ? OFFSET ?`;

export function listOf(db: Db, userId: number, limit: number, offset: number): NotificationRow[] {
  return db.$client.prepare(LIST_SQL).all(userId, limit, offset) as NotificationRow[];
}

export function countOf(db: Db, userId: number): number {
  return db.$client.prepare('SELECT count(*) FROM notifications WHERE user_id = ?').pluck().get(userId) as number;
}

/** The list and its count leaving out some of the user's rows (deadline summaries no longer true, a JSON array of ids). */
export const LIST_EXCEPT_SQL = `SELECT id, kind, link, params, created_at AS createdAt, read_at AS readAt
  FROM notifications WHERE user_id = ? AND id NOT IN (SELECT value FROM json_each(?)) ORDER BY id DESC LIMIT ? OFFSET ?`;

export function listExcept(db: Db, userId: number, except: string, limit: number, offset: number): NotificationRow[] {
  return db.$client.prepare(LIST_EXCEPT_SQL).all(userId, except, limit, offset) as NotificationRow[];
}

/** The user's deadline summaries (no pairing of their own: one per year and deadline), through the user's index. */
export const SUMMARIES_SQL = `SELECT id, year, read_at AS readAt FROM notifications
  WHERE user_id = ? AND kind IN ('deadline7', 'deadline1') AND pairing_id IS NULL`;

export function deadlineSummariesOf(db: Db, userId: number): { id: number; year: number; readAt: number | null }[] {
  return db.$client.prepare(SUMMARIES_SQL).all(userId) as { id: number; year: number; readAt: number | null }[];
}

export function deleteNotification(db: Db, id: number): void {
  db.$client.prepare('DELETE FROM notifications WHERE id = ?').run(id);
}

/** A side's stored report status of a year (null: none yet), by the unique index of reports. */
export function reportStatusOf(db: Db, pairingId: number, year: number, side: Side): string | null {
  return (
    (db.$client
      .prepare('SELECT status FROM reports WHERE pairing_id = ? AND year = ? AND side = ?')
      .pluck()
      .get(pairingId, year, side) as string | undefined) ?? null
  );
}

/** One of the user's own notifications (another user's id finds nothing). */
export function findOwn(db: Db, userId: number, id: number): NotificationRow | undefined {
  return db.$client
    .prepare(
      'SELECT id, kind, link, params, created_at AS createdAt, read_at AS readAt FROM notifications WHERE id = ? AND user_id = ?',
    )
    .get(id, userId) as NotificationRow | undefined;
}

export function markRead(db: Db, userId: number, id: number, at: number): number {
  return db.$client
    .prepare('UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL')
    .run(at, id, userId).changes;
}

export function markAllRead(db: Db, userId: number, at: number): number {
  return db.$client.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId).changes;
}

// ---- the digest's reads and writes ----

export interface NewNotification {
  userId: number;
  kind: NotificationKind;
  key: string;
  pairingId?: number;
  year?: number;
  side?: Side;
  link: string;
  params: Record<string, string | number>;
}

/** Adds a notification unless the user was already told of the same thing (its key); true when added. */
export function insertNotification(db: Db, day: string, n: NewNotification): boolean {
  return (
    db.$client
      .prepare(
        `INSERT INTO notifications (user_id, kind, key, day, pairing_id, year, side, link, params)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, key) DO NOTHING`,
      )
      .run(n.userId, n.kind, n.key, day, n.pairingId ?? null, n.year ?? null, n.side ?? null, n.link, JSON.stringify(n.params))
      .changes === 1
  );
}

export function runOf(db: Db, day: string): { day: string; created: number; mailed: number } | undefined {
  return db.$client.prepare('SELECT day, created, mailed FROM notification_runs WHERE day = ?').get(day) as
    { day: string; created: number; mailed: number } | undefined;
}

/** Claims the day's run (false: it has run already). */
export function claimRun(db: Db, day: string, lastAuditId: number): boolean {
  return (
    db.$client
      .prepare('INSERT INTO notification_runs (day, last_audit_id) VALUES (?, ?) ON CONFLICT (day) DO NOTHING')
      .run(day, lastAuditId).changes === 1
  );
}

export function finishRun(db: Db, day: string, values: { created?: number; mailed?: number }): void {
  db.$client
    .prepare('UPDATE notification_runs SET created = coalesce(?, created), mailed = coalesce(?, mailed) WHERE day = ?')
    .run(values.created ?? null, values.mailed ?? null, day);
}

/** Where the previous run stopped reading the audit log (undefined before the first run). */
export function lastReadAuditId(db: Db): number | undefined {
  return (db.$client.prepare('SELECT max(last_audit_id) FROM notification_runs').pluck().get() as number | null) ?? undefined;
}

export function maxAuditId(db: Db): number {
  return (db.$client.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number) ?? 0;
}

/** The last audit row written before a time (from the end of the log: a first run reads one day back). */
export function lastAuditBefore(db: Db, atMs: number): number {
  return (
    (db.$client.prepare('SELECT id FROM audit_log WHERE created_at < ? ORDER BY id DESC LIMIT 1').pluck().get(atMs) as
      number | undefined) ?? 0
  );
}

export interface AuditRow {
  id: number;
  actorId: number | null;
  action: string;
  entity: string;
  entityId: string;
  pairingId: number | null;
  before: string | null;
  after: string | null;
}

/** The audit rows the digest reads (records, reports, rounds, objections and answers) in (from, to]: a range of the primary key. */
export function auditRowsBetween(db: Db, from: number, to: number): AuditRow[] {
  return db.$client
    .prepare(
      `SELECT id, actor_id AS actorId, action, entity, entity_id AS entityId, pairing_id AS pairingId, before, after FROM audit_log
       WHERE id > ? AND id <= ? AND (entity LIKE 'record.%' OR entity IN ('report', 'round')
         OR (entity = 'round.input' AND action IN ('objection', 'reply')))`,
    )
    .all(from, to) as AuditRow[];
}

export interface Recipient {
  id: number;
  role: Role;
  regionCode: string | null;
  regionLevel: RegionLevel | null;
  email: string | null;
  displayName: string;
}

export function activeUsers(db: Db): Recipient[] {
  return db.$client
    .prepare(
      `SELECT u.id, u.role, u.region_code AS regionCode, r.level AS regionLevel, u.email, u.display_name AS displayName
       FROM users u LEFT JOIN regions r ON r.code = u.region_code WHERE u.active = 1`,
    )
    .all() as Recipient[];
}

export interface PairingFacts {
  id: number;
  level: string;
  assistingCode: string;
  assistedCode: string;
  /** Short names ("玄武区", or the unit's name of a pair-up). */
  assistingName: string;
  assistedName: string;
}

const PAIRING_COLUMNS = `p.id, p.level, p.assisting_code AS assistingCode, p.assisted_code AS assistedCode,
  coalesce(p.assisting_unit, a.name) AS assistingName, coalesce(p.assisted_unit, b.name) AS assistedName`;
const PAIRING_FROM = 'FROM pairings p JOIN regions a ON a.code = p.assisting_code JOIN regions b ON b.code = p.assisted_code';

export function pairingsByIds(db: Db, ids: readonly number[]): Map<number, PairingFacts> {
  const found = new Map<number, PairingFacts>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = db.$client
      .prepare(
        `SELECT ${PAIRING_COLUMNS} ${PAIRING_FROM} WHERE p.deleted_at IS NULL AND p.id IN (${chunk.map(() => '?').join(',')})`,
      )
      .all(...chunk) as PairingFacts[];
    for (const r of rows) found.set(r.id, r);
  }
  return found;
}

/** Who last submitted a side's report of a year (the unique index of reports). */
export function submitterOf(db: Db, pairingId: number, year: number, side: Side): number | null {
  return (
    (db.$client
      .prepare('SELECT submitted_by FROM reports WHERE pairing_id = ? AND year = ? AND side = ?')
      .pluck()
      .get(pairingId, year, side) as number | null | undefined) ?? null
  );
}

export function deadlines(db: Db): { year: number; deadline: string }[] {
  return db.$client.prepare('SELECT year, deadline FROM report_deadlines').all() as { year: number; deadline: string }[];
}

/** The live pairings of a year with each side's report status (null: none yet). */
export function pairingsWithReports(db: Db, year: number) {
  return db.$client
    .prepare(
      `SELECT ${PAIRING_COLUMNS},
        (SELECT status FROM reports r WHERE r.pairing_id = p.id AND r.year = ? AND r.side = 'assisting') AS assistingStatus,
        (SELECT status FROM reports r WHERE r.pairing_id = p.id AND r.year = ? AND r.side = 'assisted') AS assistedStatus
       ${PAIRING_FROM} WHERE p.deleted_at IS NULL AND p.start_year <= ? AND (p.end_year IS NULL OR p.end_year >= ?)`,
    )
    .all(year, year, year, year) as (PairingFacts & { assistingStatus: string | null; assistedStatus: string | null })[];
}

/** Of a set of pairings (a JSON array of ids), those in force in a year: looked up by their ids. */
export const IN_FORCE_OF_SQL = `SELECT id, level, assisting_code AS assistingCode, assisted_code AS assistedCode FROM pairings
  WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL AND start_year <= ? AND (end_year IS NULL OR end_year >= ?)`;

export function inForceOf(db: Db, ids: string, year: number) {
  return db.$client.prepare(IN_FORCE_OF_SQL).all(ids, year, year) as {
    id: number;
    level: string;
    assistingCode: string;
    assistedCode: string;
  }[];
}

/** Disbursed transfers still unconfirmed, unchanged since before a time. */
export function waitingTransfers(db: Db, beforeMs: number) {
  return db.$client
    .prepare(
      `SELECT id, pairing_id AS pairingId, year, version, purpose, disbursed_fen AS disbursedFen, updated_at AS updatedAt FROM funds
       WHERE confirmation = 'unconfirmed' AND deleted_at IS NULL AND disbursed_fen > 0 AND updated_at <= ?`,
    )
    .all(beforeMs) as {
    id: number;
    pairingId: number;
    year: number;
    version: number;
    purpose: string;
    disbursedFen: number;
    updatedAt: number;
  }[];
}

export function maxNotificationId(db: Db): number {
  return db.$client.prepare('SELECT coalesce(max(id), 0) FROM notifications').pluck().get() as number;
}

/** The notifications made after an id (a run's own, for its mail), by user. */
export function madeAfter(db: Db, id: number): { userId: number; kind: NotificationKind; params: string | null; link: string }[] {
  return db.$client
    .prepare('SELECT user_id AS userId, kind, params, link FROM notifications WHERE id > ? ORDER BY user_id, id')
    .all(id) as { userId: number; kind: NotificationKind; params: string | null; link: string }[];
}
