import { and, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { regions, sessions, settings, users } from '../../db/schema/index.ts';
import { preparedFor } from '../lib/prepared.ts';

export function findUserForLogin(db: DbOrTx, username: string) {
  return db.select().from(users).where(eq(users.username, username)).get();
}

/** The user as the rest of the request sees it, with its region's level (for scope prefixes). */
const sessionUser = preparedFor((db) =>
  db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      role: users.role,
      active: users.active,
      regionCode: users.regionCode,
      regionName: regions.fullName,
      regionLevel: regions.level,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .leftJoin(regions, eq(regions.code, users.regionCode))
    .where(eq(users.id, sql.placeholder('id')))
    .prepare(),
);

/** The signed-in user, read on every request (prepared once). */
export function findSessionUser(db: DbOrTx, id: number) {
  return sessionUser(db).get({ id });
}

export function deleteSessionsOfUser(db: DbOrTx, userId: number): number {
  return db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
}

export function deleteOtherSessionsOfUser(db: DbOrTx, userId: number, keepSid: string): number {
  return db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.sid, keepSid)))
    .run().changes;
}

export function readSetting(db: DbOrTx, key: string): string | undefined {
  return db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).get()?.value;
}

/** Inserts unless present; returns whatever is stored afterwards (first writer wins). */
export function writeSettingOnce(db: DbOrTx, key: string, value: string): string {
  db.insert(settings).values({ key, value }).onConflictDoNothing().run();
  return readSetting(db, key) ?? value;
}
