import type { RequestHandler } from 'express';
import { ForbiddenError } from '../lib/errors.ts';
import type { Access } from '../lib/routes.ts';

/** Turns a route's declared access into a guard. Anonymous users are sent to the login page. */
export function guard(access: Access): RequestHandler {
  return (req, res, next) => {
    if (access === 'public') return next();
    if (!req.user) {
      if (req.method === 'GET') return res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
      return res.redirect('/login');
    }
    if (access === 'user' || access.includes(req.user.role)) return next();
    next(new ForbiddenError());
  };
}
