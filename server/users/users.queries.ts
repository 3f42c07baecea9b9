import { and, asc, count, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regions, users, type Role } from '../../db/schema/index.ts';
import { containsPattern, likeEscaped } from '../lib/like.ts';

type NewUser = typeof users.$inferInsert;

const listColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  regionCode: users.regionCode,
  regionName: regions.fullName,
  email: users.email,
  active: users.active,
  version: users.version,
};

export function findUser(db: DbOrTx, id: number) {
  return db.select(listColumns).from(users).leftJoin(regions, eq(regions.code, users.regionCode)).where(eq(users.id, id)).get();
}

export function usernameTaken(db: DbOrTx, username: string): boolean {
  return db.select({ id: users.id }).from(users).where(eq(users.username, username)).get() !== undefined;
}

function listWhere(filter: { role?: Role | undefined; q?: string | undefined }): SQL | undefined {
  const pattern = filter.q ? containsPattern(filter.q) : undefined;
  return and(
    filter.role ? eq(users.role, filter.role) : undefined,
    pattern ? or(likeEscaped(users.username, pattern), likeEscaped(users.displayName, pattern)) : undefined,
  );
}

export function countUsers(db: DbOrTx, filter: { role?: Role | undefined; q?: string | undefined }): number {
  return db.select({ n: count() }).from(users).where(listWhere(filter)).get()?.n ?? 0;
}

export function listUsers(
  db: DbOrTx,
  filter: { role?: Role | undefined; q?: string | undefined },
  limit: number,
  offset: number,
) {
  return db
    .select(listColumns)
    .from(users)
    .leftJoin(regions, eq(regions.code, users.regionCode))
    .where(listWhere(filter))
    .orderBy(asc(users.username))
    .limit(limit)
    .offset(offset)
    .all();
}

export function insertUser(db: DbOrTx, values: NewUser) {
  return db.insert(users).values(values).returning({ id: users.id }).get();
}

/** Optimistic update: only applies when the stored version is the one the form was built from. */
export function updateUserAt(db: DbOrTx, id: number, version: number, values: Partial<NewUser>): boolean {
  const result = db
    .update(users)
    .set({ ...values, version: version + 1 })
    .where(and(eq(users.id, id), eq(users.version, version)))
    .run();
  return result.changes === 1;
}

export function setUserFields(db: DbOrTx, id: number, values: Partial<NewUser>): void {
  db.update(users)
    .set({ ...values, version: sql`${users.version} + 1` })
    .where(eq(users.id, id))
    .run();
}

/** Active admins, leaving one account out (the one being changed). */
export function countActiveAdminsExcept(db: DbOrTx, id: number): number {
  return (
    db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true), ne(users.id, id)))
      .get()?.n ?? 0
  );
}

export function countActiveAdmins(db: DbOrTx): number {
  return (
    db
      .select({ n: count() })
      .from(users)
      .where(and(eq(users.role, 'admin'), eq(users.active, true)))
      .get()?.n ?? 0
  );
}

export function passwordHashOf(db: DbOrTx, id: number): string | undefined {
  return db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, id)).get()?.hash;
}
