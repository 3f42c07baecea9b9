import { count, desc, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { type importRows, imports, users, type ImportAction } from '../../db/schema/index.ts';

export type ImportRow = typeof imports.$inferSelect;
export type StoredRow = typeof importRows.$inferSelect;

export function insertImport(db: DbOrTx, values: typeof imports.$inferInsert): ImportRow {
  return db.insert(imports).values(values).returning().get();
}

export function updateImport(db: DbOrTx, id: number, values: Partial<typeof imports.$inferInsert>): void {
  db.update(imports).set(values).where(eq(imports.id, id)).run();
}

export function findImport(db: DbOrTx, id: number) {
  return db
    .select({ entry: imports, userName: users.displayName })
    .from(imports)
    .innerJoin(users, eq(users.id, imports.userId))
    .where(eq(imports.id, id))
    .get();
}

/** Imports newest first: one user's, or everyone's (userId undefined). */
export function listImports(db: DbOrTx, userId: number | undefined, limit: number, offset: number) {
  const where = userId === undefined ? undefined : eq(imports.userId, userId);
  const total = db.select({ n: count() }).from(imports).where(where).get()?.n ?? 0;
  const items = db
    .select({ entry: imports, userName: users.displayName })
    .from(imports)
    .innerJoin(users, eq(users.id, imports.userId))
    .where(where)
    .orderBy(desc(imports.id))
    .limit(limit)
    .offset(offset)
    .all();
  return { total, items };
}

/** Stores a batch of checked rows (one statement, prepared once per connection). */
export function insertRows(db: Db, rows: readonly StoredRow[]): void {
  const insert = db.$client.prepare(
    'INSERT INTO import_rows (import_id, row_no, cells, action, record_id, changes, problems, plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of rows)
    insert.run(
      r.importId,
      r.rowNo,
      r.cells.length === 0 ? '[]' : JSON.stringify(r.cells),
      r.action,
      r.recordId,
      r.changes === null ? null : JSON.stringify(r.changes),
      r.problems === null ? null : JSON.stringify(r.problems),
      r.plan === null ? null : JSON.stringify(r.plan),
    );
}

/** Rows of an import with these outcomes, in file order, a page at a time. */
/**
 * A page of an import's rows with one outcome, in file order. The bad rows (a few among many) are
 * found by their partial index, whose condition must appear as written (a bound value would not
 * let SQLite use it); the others along the primary key. A plan test checks both.
 */
export function rowsOfSql(action: ImportAction): string {
  const which = action === 'error' ? "action = 'error'" : 'action = ?';
  return `SELECT * FROM import_rows WHERE import_id = ? AND ${which} ORDER BY row_no LIMIT ? OFFSET ?`;
}

export function rowsOf(db: Db, importId: number, action: ImportAction, limit: number, offset: number): StoredRow[] {
  const params = action === 'error' ? [importId, limit, offset] : [importId, action, limit, offset];
  const rows = db.$client.prepare(rowsOfSql(action)).all(...params) as Record<string, unknown>[];
  const json = (v: unknown) => (v === null ? null : JSON.parse(String(v)));
  return rows.map((r) => ({
    importId: Number(r.import_id),
    rowNo: Number(r.row_no),
    cells: json(r.cells) as string[],
    action: r.action as ImportAction,
    recordId: r.record_id === null ? null : Number(r.record_id),
    changes: json(r.changes),
    problems: json(r.problems),
    plan: json(r.plan),
  }));
}

/**
 * Every stored row of an import in file order, 1,000 at a time (commit and the error copy walk
 * them; a connection runs no other statement while a query is being iterated, so no iterator).
 */
export function* allRowsOf(
  db: Db,
  importId: number,
  actions: readonly ImportAction[],
): Generator<Pick<StoredRow, 'rowNo' | 'cells' | 'action' | 'problems' | 'plan'>> {
  const statement = db.$client.prepare(
    `SELECT row_no AS rowNo, cells, action, problems, plan FROM import_rows
     WHERE import_id = ? AND row_no > ? AND action IN (${actions.map(() => '?').join(',')}) ORDER BY row_no LIMIT 1000`,
  );
  let after = 0;
  for (;;) {
    const batch = statement.all(importId, after, ...actions) as {
      rowNo: number;
      cells: string;
      action: ImportAction;
      problems: string | null;
      plan: string | null;
    }[];
    for (const r of batch)
      yield {
        rowNo: r.rowNo,
        action: r.action,
        cells: JSON.parse(r.cells) as string[],
        problems: r.problems === null ? null : JSON.parse(r.problems),
        plan: r.plan === null ? null : JSON.parse(r.plan),
      };
    if (batch.length < 1000) return;
    after = batch[batch.length - 1]!.rowNo;
  }
}

/**
 * The changes an import made, newest first (its undo walks them back), 1,000 at a time: an import
 * of 100,000 rows made as many, each with its record before and after.
 */
export const CHANGES_SQL = `SELECT id, action, entity_id AS entityId, before, after FROM audit_log
  WHERE import_id = ? AND action IN ('create', 'update') AND id < ? ORDER BY id DESC LIMIT 1000`;

export function* changesOf(db: Db, importId: number) {
  const statement = db.$client.prepare(CHANGES_SQL);
  let before = Number.MAX_SAFE_INTEGER;
  for (;;) {
    const batch = statement.all(importId, before) as {
      id: number;
      action: string;
      entityId: string;
      before: string | null;
      after: string | null;
    }[];
    for (const c of batch)
      yield {
        action: c.action,
        entityId: c.entityId,
        before: c.before === null ? null : (JSON.parse(c.before) as unknown),
        after: c.after === null ? null : (JSON.parse(c.after) as unknown),
      };
    if (batch.length < 1000) return;
    before = batch[batch.length - 1]!.id;
  }
}

/** Marks every import still being checked as failed, with why. */
export function failChecking(db: DbOrTx, failure: unknown): void {
  db.update(imports).set({ status: 'failed', failure }).where(eq(imports.status, 'checking')).run();
}
