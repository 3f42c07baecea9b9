import type { Db } from '../../db/client.ts';
import type { Role } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { endSessionsOf } from '../auth/auth.service.ts';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { pageWindow } from '../lib/pagination.ts';
import { hashPassword } from '../lib/passwords.ts';
import { findRegion } from '../regions/regions.service.ts';
import * as q from './users.queries.ts';
import type { CreateUserInput, UpdateUserInput } from './users.schema.ts';

export type UserView = NonNullable<ReturnType<typeof q.findUser>>;

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

export function getUser(db: Db, id: number): UserView {
  const user = q.findUser(db, id);
  if (!user) throw new NotFoundError();
  return user;
}

export function listUsers(db: Db, filter: { role?: Role | undefined; q?: string | undefined; page?: number | undefined }) {
  const total = q.countUsers(db, filter);
  const w = pageWindow(filter.page, total);
  return { items: q.listUsers(db, filter, w.pageSize, w.offset), page: w.page, pages: w.pages, total };
}

/** Creates an account. `actorId` is null when the command line creates the first admin. */
export async function createUser(db: Db, actorId: number | null, input: CreateUserInput): Promise<{ id: number }> {
  checkRegion(db, input.role, input.regionCode);
  if (q.usernameTaken(db, input.username)) throw new ValidationError({ username: { key: 'validation.usernameTaken' } });
  const passwordHash = await hashPassword(input.password);
  return db.transaction((tx) => {
    const created = q.insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      regionCode: input.regionCode,
      passwordHash,
    });
    recordAudit(tx, {
      actorId,
      action: 'create',
      entity: 'user',
      entityId: created.id,
      after: { username: input.username, displayName: input.displayName, role: input.role, regionCode: input.regionCode },
    });
    return created;
  });
}

export function updateUser(db: Db, actorId: number, id: number, input: UpdateUserInput): UserView {
  const before = getUser(db, id);
  checkRegion(db, input.role, input.regionCode);
  const values = { displayName: input.displayName, role: input.role, regionCode: input.regionCode };
  db.transaction((tx) => {
    if (!q.updateUserAt(tx, id, input.version, values)) throw new ConflictError('users.conflict');
    // A new role or region changes what the user may see: make them log in again.
    if (before.role !== input.role || before.regionCode !== input.regionCode) endSessionsOf(tx, id);
    recordAudit(tx, {
      actorId,
      action: 'update',
      entity: 'user',
      entityId: id,
      before: { displayName: before.displayName, role: before.role, regionCode: before.regionCode },
      after: values,
    });
  });
  return getUser(db, id);
}

/** Disabling ends the user's sessions in the same transaction, so no request of theirs gets through after. */
export function setActive(db: Db, actorId: number, id: number, active: boolean): UserView {
  const before = getUser(db, id);
  if (!active && id === actorId) throw new ConflictError('users.cannotDisableSelf');
  db.transaction((tx) => {
    q.setUserFields(tx, id, { active });
    if (!active) endSessionsOf(tx, id);
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

export async function resetPassword(db: Db, actorId: number, id: number, password: string): Promise<UserView> {
  const user = getUser(db, id);
  const passwordHash = await hashPassword(password);
  db.transaction((tx) => {
    q.setUserFields(tx, id, { passwordHash });
    endSessionsOf(tx, id);
    recordAudit(tx, { actorId, action: 'reset-password', entity: 'user', entityId: id });
  });
  return user;
}
