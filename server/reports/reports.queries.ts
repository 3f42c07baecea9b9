import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { reportDeadlines, reports, users, type Side } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

export type ReportRow = typeof reports.$inferSelect;

const RECORD_TABLES = ['funds', 'talents', 'projects', 'labour', 'consumption'] as const;

/** A pairing's reports of a year, each with its submitter's name (prepared once: every pairing page asks). */
const reportsOfStatement = preparedFor((db) =>
  db
    .select({ report: reports, submitterName: users.displayName })
    .from(reports)
    .leftJoin(users, eq(users.id, reports.submittedBy))
    .where(and(eq(reports.pairingId, sql.placeholder('pairingId')), eq(reports.year, sql.placeholder('year'))))
    .prepare(),
);

export function reportsOf(db: DbOrTx, pairingId: number, year: number) {
  return reportsOfStatement(db)
    .all({ pairingId, year })
    .map((r) => ({ ...r.report, submitterName: r.submitterName }));
}

export function findReport(db: DbOrTx, pairingId: number, year: number, side: Side): ReportRow | undefined {
  return db
    .select()
    .from(reports)
    .where(and(eq(reports.pairingId, pairingId), eq(reports.year, year), eq(reports.side, side)))
    .get();
}

/** The sides whose report of the year locks their records (submitted or accepted): one index lookup. */
export const LOCKED_SQL = "SELECT side FROM reports WHERE pairing_id = ? AND year = ? AND status IN ('submitted', 'accepted')";
const lockedStatement = preparedFor((db) => (db as Db).$client.prepare(LOCKED_SQL).pluck());

export function lockedSides(db: Db, pairingId: number, year: number): Side[] {
  return lockedStatement(db).all(pairingId, year) as Side[];
}

/** How many live records each side entered under the pairing in the year (all kinds). */
export const RECORDS_BY_SIDE_SQL = `SELECT side, sum(n) AS n FROM (${RECORD_TABLES.map(
  (t) => `SELECT side, count(*) AS n FROM ${t} WHERE pairing_id = ? AND year = ? AND deleted_at IS NULL GROUP BY side`,
).join(' UNION ALL ')}) GROUP BY side`;

export function recordsBySide(db: DbOrTx, pairingId: number, year: number): Record<Side, number> {
  const rows = (db as Db).$client.prepare(RECORDS_BY_SIDE_SQL).all(...RECORD_TABLES.flatMap(() => [pairingId, year])) as {
    side: Side;
    n: number;
  }[];
  const counts: Record<Side, number> = { assisting: 0, assisted: 0 };
  for (const r of rows) counts[r.side] = r.n;
  return counts;
}

export function insertReport(db: DbOrTx, values: typeof reports.$inferInsert): void {
  db.insert(reports).values(values).run();
}

/** Moves a report on from the version read (false: someone moved it first). */
export function updateReportAt(db: DbOrTx, id: number, version: number, values: Partial<typeof reports.$inferInsert>): boolean {
  const res = db
    .update(reports)
    .set({ ...values, version: version + 1, updatedAt: new Date() })
    .where(and(eq(reports.id, id), eq(reports.version, version)))
    .run();
  return res.changes === 1;
}

const deadlineStatement = preparedFor((db) =>
  db
    .select({ d: reportDeadlines.deadline })
    .from(reportDeadlines)
    .where(eq(reportDeadlines.year, sql.placeholder('year')))
    .prepare(),
);

export function deadlineOf(db: DbOrTx, year: number): string | undefined {
  return deadlineStatement(db).get({ year })?.d;
}

export function allDeadlines(db: DbOrTx) {
  return db
    .select()
    .from(reportDeadlines)
    .orderBy(sql`${reportDeadlines.year} DESC`)
    .all();
}

export function upsertDeadline(db: DbOrTx, year: number, deadline: string, setBy: number | null): void {
  db.insert(reportDeadlines)
    .values({ year, deadline, setBy })
    .onConflictDoUpdate({ target: reportDeadlines.year, set: { deadline, setBy, updatedAt: new Date() } })
    .run();
}

/** A number that changes whenever any report moves (a trigger counts them, migration 0009). */
export function reportsVersion(db: Db): number {
  return (db.$client.prepare("SELECT version FROM data_versions WHERE key = 'reports'").pluck().get() as number | undefined) ?? 0;
}

/** Every stored report of a year (submitted, returned or accepted), through the year index. */
export const YEAR_REPORTS_SQL = 'SELECT pairing_id AS pairingId, side, status FROM reports WHERE year = ?';

export function reportsOfYearAll(db: Db, year: number) {
  return db.$client.prepare(YEAR_REPORTS_SQL).all(year) as { pairingId: number; side: Side; status: ReportRow['status'] }[];
}
