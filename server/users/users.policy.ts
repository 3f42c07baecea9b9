import type { Role } from '../../db/schema/index.ts';

/** What an admin may do to one account. Decided here only: the service enforces it, pages read it. */
interface AccountCapabilities {
  /** Disable the account (never one's own: it would end the session mid-click). */
  disable: boolean;
  /** Give the account a role other than admin. */
  demote: boolean;
}

/**
 * The system must always keep one active admin, or nobody could manage accounts again: the last
 * active admin can be neither disabled nor given another role. `otherActiveAdmins` counts the
 * active admins other than `target`.
 */
export function accountCapabilities(
  actorId: number,
  target: { id: number; role: Role; active: boolean },
  otherActiveAdmins: number,
): AccountCapabilities {
  const lastAdmin = target.role === 'admin' && target.active && otherActiveAdmins === 0;
  return { disable: target.id !== actorId && !lastAdmin, demote: !lastAdmin };
}
