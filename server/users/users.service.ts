import type { Db } from '../../db/client.ts';
import type { Role } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { endOtherSessionsOf, endSessionsOf } from '../auth/auth.service.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { pageWindow } from '../lib/pagination.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../lib/passwords.ts';
import { findRegion } from '../regions/regions.service.ts';
import { revokeAllTokensOf } from '../tokens/tokens.service.ts';
import { accountCapabilities } from './users.policy.ts';
import * as q from './users.queries.ts';
import type { ChangeOwnPasswordInput, CreateUserInput, UpdateUserInput } from './users.schema.ts';

type UserView = NonNullable<ReturnType<typeof q.findUser>>;

/**
 * Role and region go together: admins see everything and have no region; staff and liaisons
 * always belong to one region; evaluators may be bound to a region or to the whole country.
 */
function checkRegion(db: Db, role: Role, regionCode: string | null): void {
  if (role === 'admin' && regionCode) throw new ValidationError({ regionCode: { key: 'validation.regionNotAllowed' } });
  if ((role === 'staff' || role === 'liaison') && !regionCode)
    throw new ValidationError({ regionCode: { key: 'validation.regionRequired' } });
  if (regionCode) {
    const region = findRegion(db, regionCode);
    if (!region || region.level === 'town' || region.level === 'village') {
      throw new ValidationError({ regionCode: { key: 'validation.regionUnknown' } });
    }
  }
}

/** The password policy for this account (passwords.ts), as a field error of the form. */
function checkPassword(db: Db, password: string, username: string, regionCode: string | null): void {
  const region = regionCode ? findRegion(db, regionCode) : undefined;
  const problem = passwordProblem(password, { username, region });
  if (problem) throw new ValidationError({ password: { key: problem } });
}

export function getUser(db: Db, id: number): UserView {
  const user = q.findUser(db, id);
  if (!user) throw new NotFoundError();
  return user;
}

/** What the acting admin may do to one account (users.policy.ts), with the current admin count. */
export function capabilitiesFor(db: Db, actorId: number, user: UserView) {
  return accountCapabilities(actorId, user, q.countActiveAdminsExcept(db, user.id));
}

export function listUsers(
  db: Db,
  actorId: number,
  filter: { role?: Role | undefined; q?: string | undefined; page?: number | undefined },
) {
  const total = q.countUsers(db, filter);
  const w = pageWindow(filter.page, total);
  const admins = q.countActiveAdmins(db);
  const items = q.listUsers(db, filter, w.pageSize, w.offset).map((u) => ({
    ...u,
    can: accountCapabilities(actorId, u, admins - (u.role === 'admin' && u.active ? 1 : 0)),
  }));
  return { items, page: w.page, pages: w.pages, total };
}

/** Every account the filter finds (the list's export, the admin's), in the list's order. */
export function exportUsers(db: Db, actor: Actor, filter: { role?: Role | undefined; q?: string | undefined }) {
  if (actor.role !== 'admin') throw new ForbiddenError();
  return q.listUsers(db, filter, -1, 0);
}

/** Creates an account. `actorId` is null when the command line creates the first admin. */
export async function createUser(db: Db, actorId: number | null, input: CreateUserInput): Promise<{ id: number }> {
  checkRegion(db, input.role, input.regionCode);
  // a friendly early answer; the unique index is the real guard (two creates may pass this at once)
  if (q.usernameTaken(db, input.username)) throw new ValidationError({ username: { key: 'validation.usernameTaken' } });
  checkPassword(db, input.password, input.username, input.regionCode);
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => {
    const created = q.insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      regionCode: input.regionCode,
      email: input.email ?? null,
      passwordHash,
    });
    recordAudit(tx, {
      actorId,
      action: 'create',
      entity: 'user',
      entityId: created.id,
      after: {
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        regionCode: input.regionCode,
        email: input.email ?? null,
      },
    });
    return created;
  });
}

/**
 * Ending a user's sessions and revoking their access tokens go together here and below, in the
 * transaction of the change that calls for them: no credential of before may outlive a password,
 * an account or a scope that is no longer theirs.
 */
export function updateUser(db: Db, actorId: number, id: number, input: UpdateUserInput, now: Date): UserView {
  const before = getUser(db, id);
  checkRegion(db, input.role, input.regionCode);
  // an edit without the field keeps the address (the digest's); only an empty one submitted clears it
  const values = {
    displayName: input.displayName,
    role: input.role,
    regionCode: input.regionCode,
    email: input.email === undefined ? before.email : input.email,
  };
  db.transaction((tx) => {
    // counted inside the transaction, so two admins demoting each other at once cannot both pass;
    // refused on the field, so the form comes back with what was typed
    if (input.role !== 'admin' && !accountCapabilities(actorId, before, q.countActiveAdminsExcept(tx, id)).demote)
      throw new ValidationError({ role: { key: 'users.lastAdminRole' } });
    if (!q.updateUserAt(tx, id, input.version, values)) throw new ConflictError('users.conflict');
    // A new role or region changes what the user may see: make them log in again, and make new tokens.
    if (before.role !== input.role || before.regionCode !== input.regionCode) {
      endSessionsOf(tx, id);
      revokeAllTokensOf(tx, id, actorId, 'role-or-region', now);
    }
    recordAudit(tx, {
      actorId,
      action: 'update',
      entity: 'user',
      entityId: id,
      before: { displayName: before.displayName, role: before.role, regionCode: before.regionCode, email: before.email },
      after: values,
    });
  });
  return getUser(db, id);
}

/** Refuses, with the reason, to disable an account the policy protects (oneself, the last admin). */
export function checkCanDisable(db: Db, actorId: number, user: UserView): void {
  if (user.id === actorId) throw new ConflictError('users.cannotDisableSelf');
  if (!capabilitiesFor(db, actorId, user).disable) throw new ConflictError('users.lastAdmin');
}

/**
 * Disabling ends the user's sessions and revokes their tokens in the same transaction, so no request
 * of theirs gets through after, and enabling them again brings no old token back.
 */
export function setActive(db: Db, actorId: number, id: number, active: boolean, now: Date): UserView {
  const before = getUser(db, id);
  if (!active && id === actorId) throw new ConflictError('users.cannotDisableSelf');
  db.transaction((tx) => {
    if (!active && !accountCapabilities(actorId, before, q.countActiveAdminsExcept(tx, id)).disable)
      throw new ConflictError('users.lastAdmin');
    q.setUserFields(tx, id, { active });
    if (!active) {
      endSessionsOf(tx, id);
      revokeAllTokensOf(tx, id, actorId, 'disable', now);
    }
    recordAudit(tx, {
      actorId,
      action: active ? 'enable' : 'disable',
      entity: 'user',
      entityId: id,
      before: { active: before.active },
      after: { active },
    });
  });
  return getUser(db, id);
}

/**
 * An admin's reset: the admin knows the new password, so the user must choose another at next login.
 * Whoever had the old password may have made tokens with it: they are revoked, not paused.
 */
export async function resetPassword(db: Db, actorId: number, id: number, password: string, now: Date): Promise<UserView> {
  const user = getUser(db, id);
  checkPassword(db, password, user.username, user.regionCode);
  const passwordHash = await hashPassword(password);
  db.transaction((tx) => {
    q.setUserFields(tx, id, { passwordHash, mustChangePassword: true });
    endSessionsOf(tx, id);
    revokeAllTokensOf(tx, id, actorId, 'reset-password', now);
    recordAudit(tx, { actorId, action: 'reset-password', entity: 'user', entityId: id });
  });
  return user;
}

/**
 * A user's own change (also the way out of a forced change after an admin's reset). Needs the
 * current password; ends the user's other sessions but keeps this one (`keepSid`), and revokes the
 * user's tokens: one changes one's password because someone else may know it, and whoever knew it
 * could have made a token (the password page says so).
 */
export async function changeOwnPassword(
  db: Db,
  userId: number,
  keepSid: string,
  input: ChangeOwnPasswordInput,
  now: Date,
): Promise<UserView> {
  const user = getUser(db, userId);
  const stored = q.passwordHashOf(db, userId);
  if (!stored || !(await verifyPassword(stored, input.currentPassword)))
    throw new ValidationError({ currentPassword: { key: 'password.currentWrong' } });
  if (input.password === input.currentPassword) throw new ValidationError({ password: { key: 'password.same' } });
  checkPassword(db, input.password, user.username, user.regionCode);
  const passwordHash = await hashPassword(input.password);
  db.transaction((tx) => {
    q.setUserFields(tx, userId, { passwordHash, mustChangePassword: false });
    endOtherSessionsOf(tx, userId, keepSid);
    revokeAllTokensOf(tx, userId, userId, 'change-password', now);
    recordAudit(tx, { actorId: userId, action: 'change-password', entity: 'user', entityId: userId });
  });
  return user;
}
