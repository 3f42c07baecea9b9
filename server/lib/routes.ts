import type { RequestHandler } from 'express';
import type { Role } from '../../db/schema/index.ts';

/**
 * Who may call a route: anyone, any logged-in user, or the listed roles. Declared next to each
 * route so the whole route table can be walked (by the router and by the security tests).
 */
export type Access = 'public' | 'user' | readonly Role[];

export interface RouteDef {
  method: 'get' | 'post';
  path: string;
  access: Access;
  handler: RequestHandler;
  /** Extra middleware that runs before the handler (e.g. a rate limiter). */
  before?: RequestHandler[];
  /**
   * A route of the read API (JSON): a request without a user is refused with 401 rather than sent
   * to the login page, and every refusal is JSON.
   */
  api?: boolean;
}
