import type { Role } from '../../db/schema/index.ts';

/**
 * Who is acting, as services see it (never `req`): the same shape serves the web app, the
 * command line and the future token API. `scope` is a region-code prefix; null = whole country.
 */
export interface Actor {
  id: number;
  role: Role;
  scope: string | null;
}

/** The seed scripts and the command line act as the system. */
export const SYSTEM: Actor = { id: 0, role: 'admin', scope: null };

export const actorId = (actor: Actor): number | null => (actor.id > 0 ? actor.id : null);
