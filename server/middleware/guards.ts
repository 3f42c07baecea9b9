import type { RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../lib/errors.ts';
import type { Access } from '../lib/routes.ts';

/**
 * Turns a route's declared access into a guard. Anonymous users are sent to the login page; a
 * program calling the read API (`api`) is told 401 instead.
 */
export function guard(access: Access, api = false): RequestHandler {
  return (req, res, next) => {
    if (access === 'public') return next();
    if (!req.user) {
      if (api) return next(new UnauthorizedError());
      if (req.method === 'GET') return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      return res.redirect('/login');
    }
    if (access === 'user' || access.includes(req.user.role)) return next();
    next(new ForbiddenError());
  };
}
