import { and, eq, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { formTokens } from '../../db/schema/index.ts';

/** Inserts the token unless it exists; true when this call claimed it. */
export function claim(db: DbOrTx, token: string, userId: number): boolean {
  const res = db.insert(formTokens).values({ token, userId }).onConflictDoNothing().run();
  return res.changes === 1;
}

export function find(db: DbOrTx, token: string) {
  return db.select().from(formTokens).where(eq(formTokens.token, token)).get();
}

export function settle(db: DbOrTx, token: string, location: string) {
  db.update(formTokens).set({ location }).where(eq(formTokens.token, token)).run();
}

export function release(db: DbOrTx, token: string, userId: number) {
  db.delete(formTokens)
    .where(and(eq(formTokens.token, token), eq(formTokens.userId, userId)))
    .run();
}

export function pruneBefore(db: DbOrTx, before: Date) {
  return db.delete(formTokens).where(lt(formTokens.createdAt, before)).run().changes;
}
