import { and, asc, count, eq, getTableName, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { recordFiles, users } from '../../db/schema/index.ts';
import type { RecordKindKey, RecordTable } from './records.kinds.ts';

/** A record's files, newest last, without their bytes: name, size, who and when. */
export function listFiles(db: DbOrTx, kind: RecordKindKey, recordId: number) {
  return listFilesQuery(db, kind, recordId).all();
}

/** The record page's query of its files (its plan asserted in test/unit/plans-record-files.test.ts). */
export function listFilesQuery(db: DbOrTx, kind: RecordKindKey, recordId: number) {
  return db
    .select({
      id: recordFiles.id,
      filename: recordFiles.filename,
      size: recordFiles.size,
      userId: recordFiles.userId,
      userName: users.displayName,
      createdAt: recordFiles.createdAt,
    })
    .from(recordFiles)
    .leftJoin(users, eq(users.id, recordFiles.userId))
    .where(and(eq(recordFiles.recordKind, kind), eq(recordFiles.recordId, recordId)))
    .orderBy(asc(recordFiles.id));
}

export function countFiles(db: DbOrTx, kind: RecordKindKey, recordId: number): number {
  return (
    db
      .select({ n: count() })
      .from(recordFiles)
      .where(and(eq(recordFiles.recordKind, kind), eq(recordFiles.recordId, recordId)))
      .get()?.n ?? 0
  );
}

/** A file of a record, with its bytes when asked; undefined when it is not that record's. */
export function findFile(db: DbOrTx, kind: RecordKindKey, recordId: number, id: number) {
  return db
    .select()
    .from(recordFiles)
    .where(and(eq(recordFiles.id, id), eq(recordFiles.recordKind, kind), eq(recordFiles.recordId, recordId)))
    .get();
}

export function insertFile(tx: DbOrTx, row: typeof recordFiles.$inferInsert) {
  return tx
    .insert(recordFiles)
    .values(row)
    .returning({ id: recordFiles.id, filename: recordFiles.filename, size: recordFiles.size })
    .get();
}

export function deleteFile(tx: DbOrTx, id: number): void {
  tx.delete(recordFiles).where(eq(recordFiles.id, id)).run();
}

/**
 * The files of a kind's live records of a year under a set of pairings (ids as a JSON array),
 * within a scope (a region prefix's range, null for all): read from the records by their
 * (pairing_id, year) index, then each record's files by record_files_record_idx (asserted in
 * test/unit/plans-record-files.test.ts). INDEXED BY and the CROSS JOIN keep that plan: left to
 * itself, SQLite walks every file of the kind in the country, or every record of the year.
 */
export function filesOfPairingsQuery(
  kind: RecordKindKey,
  table: RecordTable,
  pairingsJson: string,
  year: number,
  scope: { lo: string; hi: string } | null,
): SQL {
  const name = getTableName(table);
  const t = sql.identifier(name);
  const byPairingYear = sql.identifier(`${name}_pairing_year_idx`);
  const inScope = scope
    ? sql`AND ((p.assisting_code >= ${scope.lo} AND p.assisting_code < ${scope.hi}) OR (p.assisted_code >= ${scope.lo} AND p.assisted_code < ${scope.hi}))`
    : sql``;
  return sql`
    SELECT f.id AS id, f.record_id AS recordId, f.filename AS filename
    FROM ${t} r INDEXED BY ${byPairingYear} CROSS JOIN record_files f
    JOIN pairings p ON p.id = r.pairing_id
    WHERE f.record_kind = ${kind} AND f.record_id = r.id AND r.pairing_id IN (SELECT value FROM json_each(${pairingsJson})) AND r.year = ${year}
      AND r.deleted_at IS NULL AND p.deleted_at IS NULL ${inScope}
    ORDER BY r.id, f.id`;
}

export function filesOfPairings(db: Db, ...args: Parameters<typeof filesOfPairingsQuery>) {
  return db.all<{ id: number; recordId: number; filename: string }>(filesOfPairingsQuery(...args));
}
