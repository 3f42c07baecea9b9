import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { homeMarks } from '../../db/schema/index.ts';

/**
 * The reads of the home pages that belong to no one domain: where a user's home page left off,
 * and the changes made by the partner side since. Every query takes a set of pairing ids (the
 * user's scope, bound as JSON) and reads through an index (plans asserted in test/unit).
 */

export interface PairingFacts {
  id: number;
  parentId: number | null;
  level: string;
  startYear: number;
  endYear: number | null;
  assistingCode: string;
  assistedCode: string;
}

/** The structure of the pairings of a set (by primary key). */
export const SET_PAIRINGS_SQL = `SELECT p.id AS id, p.parent_id AS parentId, p.level AS level, p.start_year AS startYear,
    p.end_year AS endYear, p.assisting_code AS assistingCode, p.assisted_code AS assistedCode
  FROM json_each(?) s CROSS JOIN pairings p ON p.id = s.value WHERE p.deleted_at IS NULL`;

export function pairingFactsOf(db: Db, idsJson: string): PairingFacts[] {
  return db.$client.prepare(SET_PAIRINGS_SQL).all(idsJson) as PairingFacts[];
}

/** The agreement targets of a set's pairings for a year (through the unique pairing-year index). */
export const SET_AGREEMENTS_SQL = `SELECT a.pairing_id AS pairingId, a.fiscal_funds_fen AS fiscalFundsFen, a.social_funds_fen AS socialFundsFen,
    a.cadres AS cadres, a.professionals AS professionals, a.people_trained AS peopleTrained, a.enterprises AS enterprises,
    a.investment_fen AS investmentFen, a.jobs AS jobs, a.purchases_fen AS purchasesFen, a.pairups AS pairups
  FROM json_each(?) s CROSS JOIN agreements a ON a.pairing_id = s.value AND a.year = ? AND a.deleted_at IS NULL`;

export type TargetRow = Record<string, number | null> & { pairingId: number };

export function agreementsOf(db: Db, idsJson: string, year: number): TargetRow[] {
  return db.$client.prepare(SET_AGREEMENTS_SQL).all(idsJson, year) as TargetRow[];
}

/**
 * The changes to records of a set's pairings after an audit row, at most `limit` (the caller
 * decides which are the partner's, by the side each was made for). Each pairing's rows are read
 * along the index `(pairing_id, id)` in order, with no sort of the whole history.
 */
export const SET_CHANGES_SQL = `SELECT a.id AS id, a.created_at AS at, a.action AS action, a.entity AS entity, a.entity_id AS entityId,
    a.pairing_id AS pairingId, a.before AS before, a.after AS after, u.display_name AS actorName
  FROM json_each(?) s CROSS JOIN audit_log a ON a.pairing_id = s.value AND a.id > ?
  LEFT JOIN users u ON u.id = a.actor_id
  WHERE a.entity LIKE 'record.%'
  LIMIT ?`;

export interface ChangeRow {
  id: number;
  at: number;
  action: string;
  entity: string;
  entityId: string;
  pairingId: number;
  before: string | null;
  after: string | null;
  actorName: string | null;
}

export function changesOfSet(db: Db, idsJson: string, afterId: number, limit: number) {
  return db.$client.prepare(SET_CHANGES_SQL).all(idsJson, afterId, limit) as ChangeRow[];
}

export function homeMarkOf(db: Db, userId: number): number | undefined {
  return db.$client.prepare('SELECT changes_seen_id FROM home_marks WHERE user_id = ?').pluck().get(userId) as number | undefined;
}

export function setHomeMark(db: Db, userId: number, changesSeenId: number): void {
  db.insert(homeMarks)
    .values({ userId, changesSeenId })
    .onConflictDoUpdate({ target: homeMarks.userId, set: { changesSeenId, seenAt: sql`(unixepoch('subsec') * 1000)` } })
    .run();
}
