import { and, count, desc, eq, gt, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { accessTokens } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

export type AccessTokenRow = typeof accessTokens.$inferSelect;

/** What the profile page lists: never the hash. */
const listed = {
  id: accessTokens.id,
  name: accessTokens.name,
  prefix: accessTokens.prefix,
  createdAt: accessTokens.createdAt,
  expiresAt: accessTokens.expiresAt,
  lastUsedAt: accessTokens.lastUsedAt,
  revokedAt: accessTokens.revokedAt,
};
export type ListedToken = { [K in keyof typeof listed]: AccessTokenRow[K] };

export function insertToken(db: DbOrTx, values: typeof accessTokens.$inferInsert): AccessTokenRow {
  return db.insert(accessTokens).values(values).returning().get();
}

/** A user's tokens, newest first. */
export function listTokens(db: DbOrTx, userId: number): ListedToken[] {
  return db.select(listed).from(accessTokens).where(eq(accessTokens.userId, userId)).orderBy(desc(accessTokens.id)).all();
}

/** One of the user's own tokens (another user's id reads as unknown). */
export function findOwnToken(db: DbOrTx, userId: number, id: number): ListedToken | undefined {
  return db
    .select(listed)
    .from(accessTokens)
    .where(and(eq(accessTokens.id, id), eq(accessTokens.userId, userId)))
    .get();
}

/** The lookup of every token request, by the unique index on the hash (prepared once; a plan test checks). */
const byHash = preparedFor((db) =>
  db
    .select()
    .from(accessTokens)
    .where(eq(accessTokens.tokenHash, sql.placeholder('hash')))
    .prepare(),
);

export function findByHash(db: DbOrTx, hash: string): AccessTokenRow | undefined {
  return byHash(db).get({ hash });
}

/** The lookup's SQL as it runs (a placeholder for the hash), for the plan test. */
export function findByHashSql(db: DbOrTx): string {
  return byHash(db).getQuery().sql;
}

/** Marks a live token revoked; false when it was already revoked. */
export function revokeToken(db: DbOrTx, id: number, at: Date): boolean {
  return (
    db
      .update(accessTokens)
      .set({ revokedAt: at })
      .where(and(eq(accessTokens.id, id), isNull(accessTokens.revokedAt)))
      .run().changes === 1
  );
}

/** A user's live tokens (neither revoked nor expired at `now`), for the cap on how many one may hold. */
export function countLiveTokens(db: DbOrTx, userId: number, now: Date): number {
  return (
    db
      .select({ n: count() })
      .from(accessTokens)
      .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt), gt(accessTokens.expiresAt, now)))
      .get()?.n ?? 0
  );
}

/** Revokes every live token of a user; returns those it revoked (an expired one is dead already). */
export function revokeLiveTokensOf(db: DbOrTx, userId: number, at: Date): { id: number; name: string }[] {
  return db
    .update(accessTokens)
    .set({ revokedAt: at })
    .where(and(eq(accessTokens.userId, userId), isNull(accessTokens.revokedAt), gt(accessTokens.expiresAt, at)))
    .returning({ id: accessTokens.id, name: accessTokens.name })
    .all();
}

/** Sets the last use unless it was set at or after `notAfter`; true when this call set it. */
export function touchToken(db: DbOrTx, id: number, at: Date, notAfter: Date): boolean {
  return (
    db
      .update(accessTokens)
      .set({ lastUsedAt: at })
      .where(and(eq(accessTokens.id, id), or(isNull(accessTokens.lastUsedAt), lte(accessTokens.lastUsedAt, notAfter))))
      .run().changes === 1
  );
}
