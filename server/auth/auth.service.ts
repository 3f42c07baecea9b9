import { randomBytes } from 'node:crypto';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { RegionLevel, Role } from '../../db/schema/index.ts';
import { dummyPasswordHash, verifyPassword } from '../lib/passwords.ts';
import { scopePrefix } from '../regions/regions.service.ts';
import * as q from './auth.queries.ts';

/** What a request knows of its user. `scope` is a region-code prefix; null means the whole country. */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
  regionName: string | null;
  scope: string | null;
  /** Set by an admin's password reset: every page but the change page redirects there. */
  mustChangePassword?: boolean;
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** Checks a username and password; disabled users and unknown names fail the same way, in the same time. */
export async function verifyLogin(db: Db, username: string, password: string): Promise<SessionUser | null> {
  const user = q.findUserForLogin(db, normaliseUsername(username));
  if (!user || !user.active) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  return (await verifyPassword(user.passwordHash, password)) ? loadSessionUser(db, user.id) : null;
}

/** Loads an active user for a session; a disabled or deleted user yields null and is logged out. */
export function loadSessionUser(db: DbOrTx, id: number): SessionUser | null {
  const u = q.findSessionUser(db, id);
  if (!u || !u.active) return null;
  const scope = u.regionCode && u.regionLevel ? scopePrefix({ code: u.regionCode, level: u.regionLevel as RegionLevel }) : null;
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    regionCode: u.regionCode,
    regionName: u.regionName,
    scope: u.role === 'admin' ? null : scope,
    mustChangePassword: u.mustChangePassword,
  };
}

/** Ends every session of a user: used when they are disabled or their password changes. */
export function endSessionsOf(tx: DbOrTx, userId: number): number {
  return q.deleteSessionsOfUser(tx, userId);
}

/** Ends every session of a user but one (the one that just changed the password). */
export function endOtherSessionsOf(tx: DbOrTx, userId: number, keepSid: string): number {
  return q.deleteOtherSessionsOfUser(tx, userId, keepSid);
}

/** The configured session secret, or one generated at first start and kept in the database. */
export function sessionSecret(db: Db, configured: string | undefined): string {
  if (configured) return configured;
  return q.readSetting(db, 'session_secret') ?? q.writeSettingOnce(db, 'session_secret', randomBytes(48).toString('base64url'));
}
