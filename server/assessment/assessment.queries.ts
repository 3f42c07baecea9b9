import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client.ts';
import { agreements, evidence, frameworks, regions, roundInputs, rounds, users, type InputKind } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

export interface PairingLite {
  id: number;
  level: string;
  parentId: number | null;
  assistingCode: string;
  assistedCode: string;
  startYear: number;
  endYear: number | null;
}

/** Every live pairing above pair-up level, lean: the assessment walks them all, so no ORM mapping. */
export function livePairings(db: Db): PairingLite[] {
  return db.$client
    .prepare(
      "SELECT id, level, parent_id AS parentId, assisting_code AS assistingCode, assisted_code AS assistedCode, start_year AS startYear, end_year AS endYear FROM pairings WHERE deleted_at IS NULL AND level <> 'pairup'",
    )
    .all() as PairingLite[];
}

/**
 * Pair-ups in force in a year and the year before, counted per parent (pair-ups only count, and
 * they stand within their parent's sides, so the parent's codes place them).
 */
export function pairupCounts(db: Db, year: number) {
  return db.$client
    .prepare(
      `SELECT parent_id AS parentId,
         SUM(start_year <= @prev AND (end_year IS NULL OR end_year >= @prev)) AS previous,
         SUM(start_year <= @year AND (end_year IS NULL OR end_year >= @year)) AS current
       FROM pairings WHERE deleted_at IS NULL AND level = 'pairup' AND parent_id IS NOT NULL GROUP BY parent_id`,
    )
    .all({ year, prev: year - 1 }) as { parentId: number; previous: number; current: number }[];
}

/** Parents of the given pair-ups (their records count with the parent in the assessment). */
export function pairupParents(db: Db, ids: number[]): Map<number, number> {
  if (ids.length === 0) return new Map();
  const rows = db.$client
    .prepare(
      "SELECT id, parent_id FROM pairings WHERE deleted_at IS NULL AND level = 'pairup' AND parent_id IS NOT NULL AND id IN (SELECT value FROM json_each(?))",
    )
    .raw(true)
    .all(JSON.stringify(ids)) as [number, number][];
  return new Map(rows);
}

/** Display names of the given pairings ("苏州市姑苏区 → 西安市新城区"), in one query. */
export function pairingNames(db: DbOrTx, ids: number[]): Map<number, string> {
  if (ids.length === 0) return new Map();
  const rows = db.all<{ id: number; name: string }>(sql`
    SELECT p.id AS id, coalesce(p.assisting_unit, a.full_name) || ' → ' || coalesce(p.assisted_unit, b.full_name) AS name
    FROM pairings p JOIN regions a ON a.code = p.assisting_code JOIN regions b ON b.code = p.assisted_code
    WHERE p.id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  return new Map(rows.map((r) => [r.id, r.name]));
}

export function agreementsOfYear(db: DbOrTx, year: number) {
  return db
    .select()
    .from(agreements)
    .where(and(eq(agreements.year, year), isNull(agreements.deletedAt)))
    .all();
}

export function regionNames(db: DbOrTx, codes: string[]) {
  if (codes.length === 0) return new Map<string, string>();
  return new Map(
    db
      .select({ code: regions.code, name: regions.fullName })
      .from(regions)
      .where(inArray(regions.code, codes))
      .all()
      .map((r) => [r.code, r.name]),
  );
}

export function findFramework(db: DbOrTx, year: number) {
  return db.select().from(frameworks).where(eq(frameworks.year, year)).get();
}

export function listFrameworkYears(db: DbOrTx) {
  return db
    .select({ year: frameworks.year, version: frameworks.version, updatedAt: frameworks.updatedAt })
    .from(frameworks)
    .orderBy(frameworks.year)
    .all();
}

export function insertFramework(db: DbOrTx, year: number, doc: unknown, userId: number | null) {
  return db.insert(frameworks).values({ year, doc, updatedBy: userId }).returning().get();
}

export function updateFrameworkAt(db: DbOrTx, id: number, version: number, doc: unknown, userId: number | null): boolean {
  return (
    db
      .update(frameworks)
      .set({ doc, version: version + 1, updatedBy: userId, updatedAt: new Date() })
      .where(and(eq(frameworks.id, id), eq(frameworks.version, version)))
      .run().changes === 1
  );
}

export function findRound(db: DbOrTx, year: number) {
  return db.select().from(rounds).where(eq(rounds.year, year)).get();
}

export function insertRound(db: DbOrTx, year: number) {
  return db.insert(rounds).values({ year }).returning().get();
}

export function updateRoundAt(db: DbOrTx, id: number, version: number, values: Partial<typeof rounds.$inferInsert>): boolean {
  return (
    db
      .update(rounds)
      .set({ ...values, version: version + 1 })
      .where(and(eq(rounds.id, id), eq(rounds.version, version)))
      .run().changes === 1
  );
}

export type InputRow = typeof roundInputs.$inferSelect;

/** The objects and indicators of one kind of input in a round (one author's, when given): by the (round, kind) index. */
export const inputKeysQuery = (db: DbOrTx, roundId: number, kind: InputKind, userId?: number) =>
  db
    .select({ objectKey: roundInputs.objectKey, indicatorKey: roundInputs.indicatorKey })
    .from(roundInputs)
    .where(
      and(
        eq(roundInputs.roundId, roundId),
        eq(roundInputs.kind, kind),
        userId === undefined ? undefined : eq(roundInputs.userId, userId),
      ),
    );

export function inputKeysOf(db: DbOrTx, roundId: number, kind: InputKind, userId?: number) {
  return inputKeysQuery(db, roundId, kind, userId).all();
}

export function inputsOf(db: DbOrTx, roundId: number) {
  return db.select().from(roundInputs).where(eq(roundInputs.roundId, roundId)).all();
}

/** The users who entered a self-assessment in a round (by the (round, kind) index). */
export function selfAuthorsOf(db: DbOrTx, roundId: number): number[] {
  return db
    .selectDistinct({ userId: roundInputs.userId })
    .from(roundInputs)
    .where(and(eq(roundInputs.roundId, roundId), eq(roundInputs.kind, 'self')))
    .all()
    .map((r) => r.userId);
}

/** The query behind inputsOfObject, its round and object as placeholders (a plan test reads its SQL). */
export const objectInputsQuery = (db: DbOrTx) =>
  db
    .select()
    .from(roundInputs)
    .where(and(eq(roundInputs.roundId, sql.placeholder('roundId')), eq(roundInputs.objectKey, sql.placeholder('objectKey'))));

const ofObject = preparedFor((db) => objectInputsQuery(db).prepare());

/** One object's inputs in a round (its scorecard), by the (round, object, …) unique index; prepared once. */
export function inputsOfObject(db: DbOrTx, roundId: number, objectKey: string) {
  return ofObject(db).all({ roundId, objectKey });
}

export function upsertInput(
  db: DbOrTx,
  v: {
    roundId: number;
    objectKey: string;
    indicatorKey: string;
    kind: InputKind;
    userId: number;
    score: number | null;
    text: string | null;
  },
) {
  db.insert(roundInputs)
    .values(v)
    .onConflictDoUpdate({
      target: [roundInputs.roundId, roundInputs.objectKey, roundInputs.indicatorKey, roundInputs.kind, roundInputs.userId],
      set: { score: v.score, text: v.text, createdAt: new Date() },
    })
    .run();
}

export function insertEvidence(db: DbOrTx, v: typeof evidence.$inferInsert) {
  return db.insert(evidence).values(v).returning({ id: evidence.id }).get();
}

const evidenceOfObject = preparedFor((db) =>
  db
    .select({
      id: evidence.id,
      indicatorKey: evidence.indicatorKey,
      stage: evidence.stage,
      filename: evidence.filename,
      size: evidence.size,
      userId: evidence.userId,
      createdAt: evidence.createdAt,
    })
    .from(evidence)
    .where(and(eq(evidence.roundId, sql.placeholder('roundId')), eq(evidence.objectKey, sql.placeholder('objectKey'))))
    .orderBy(evidence.id)
    .prepare(),
);

/** The evidence of an object, without the file contents (every scorecard page lists it; prepared once). */
export function listEvidence(db: DbOrTx, roundId: number, objectKey: string) {
  return evidenceOfObject(db).all({ roundId, objectKey });
}

export function findEvidence(db: DbOrTx, id: number) {
  return db.select().from(evidence).where(eq(evidence.id, id)).get();
}

/** The two side codes of the given pairings, in one query (an object's regions, for the no-self-assessment rule). */
export function pairingSides(db: DbOrTx, ids: number[]): Map<number, string[]> {
  if (ids.length === 0) return new Map();
  const rows = db.all<{ id: number; a: string; b: string }>(sql`
    SELECT id, assisting_code AS a, assisted_code AS b FROM pairings
    WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`);
  return new Map(rows.map((r) => [r.id, [r.a, r.b]]));
}

/** The regions paired with a list of regions (a JSON array, given twice) in force in a year (given four times). */
export const PARTNERS_SQL = `
  SELECT assisted_code AS code, assisting_code AS partner FROM pairings
  WHERE assisted_code IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL
    AND start_year <= ? AND (end_year IS NULL OR end_year >= ?)
  UNION
  SELECT assisting_code AS code, assisted_code AS partner FROM pairings
  WHERE assisting_code IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL
    AND start_year <= ? AND (end_year IS NULL OR end_year >= ?)`;

/**
 * The regions paired with each of the given regions in force in a year (either side, any level),
 * in one query by the assisting and assisted code indexes.
 */
export function partnerCodes(db: Db, codes: string[], year: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (codes.length === 0) return out;
  const list = JSON.stringify(codes);
  const rows = db.$client
    .prepare<unknown[], { code: string; partner: string }>(PARTNERS_SQL)
    .all(list, year, year, list, year, year);
  for (const r of rows) (out.get(r.code) ?? out.set(r.code, []).get(r.code)!).push(r.partner);
  return out;
}

export interface PersonLite {
  id: number;
  role: string;
  regionCode: string | null;
  displayName: string;
  username: string;
}

const peopleByIds = preparedFor((db) =>
  db
    .select({
      id: users.id,
      role: users.role,
      regionCode: users.regionCode,
      displayName: users.displayName,
      username: users.username,
    })
    .from(users)
    .where(sql`${users.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
    .prepare(),
);

/** The given users (team members, owners, proposers), in one query (prepared once). */
export function people(db: DbOrTx, ids: number[]): Map<number, PersonLite> {
  if (ids.length === 0) return new Map();
  const rows: PersonLite[] = peopleByIds(db).all({ ids: JSON.stringify([...new Set(ids)]) });
  return new Map(rows.map((r) => [r.id, r]));
}

/** Active evaluators, for naming a round owner. */
export function activeEvaluators(db: DbOrTx): PersonLite[] {
  return db.all<PersonLite>(sql`
    SELECT id, role, region_code AS regionCode, display_name AS displayName, username FROM users
    WHERE role = 'evaluator' AND active = 1 ORDER BY display_name, id`);
}
