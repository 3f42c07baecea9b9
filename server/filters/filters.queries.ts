import type { Db } from '../../db/client.ts';
import { preparedFor } from '../lib/prepared.ts';

/** A user's saved filters of a list: one search of the table's key (a plan test checks). */
export const SAVED_FILTERS_SQL = 'SELECT query FROM user_filters WHERE user_id = ? AND list = ?';
const savedStatement = preparedFor((db) => (db as Db).$client.prepare(SAVED_FILTERS_SQL).pluck());

const saveStatement = preparedFor((db) =>
  (db as Db).$client.prepare(
    `INSERT INTO user_filters (user_id, list, query) VALUES (?, ?, ?)
     ON CONFLICT (user_id, list) DO UPDATE SET query = excluded.query, updated_at = unixepoch('subsec') * 1000`,
  ),
);
const forgetStatement = preparedFor((db) =>
  (db as Db).$client.prepare('DELETE FROM user_filters WHERE user_id = ? AND list = ?'),
);

export function savedFilters(db: Db, userId: number, list: string): string | undefined {
  return savedStatement(db).get(userId, list) as string | undefined;
}

export function saveFilters(db: Db, userId: number, list: string, query: string): void {
  saveStatement(db).run(userId, list, query);
}

export function forgetFilters(db: Db, userId: number, list: string): void {
  forgetStatement(db).run(userId, list);
}
