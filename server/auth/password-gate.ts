import type { RequestHandler } from 'express';

/** Where a user whose password an admin has reset is held until they choose their own. */
export const CHANGE_PASSWORD_PATH = '/account/password';

/** What such a user may still reach: the change page, logging out, the language switch, the health check. */
const OPEN = [CHANGE_PASSWORD_PATH, '/logout', '/healthz'];

/**
 * After an admin's reset the admin knows the password, so the user's first act must be to replace
 * it: every other page redirects to the change page (static assets are served before this runs).
 */
export const passwordChangeGate: RequestHandler = (req, res, next) => {
  if (!req.user?.mustChangePassword) return next();
  if (OPEN.includes(req.path) || req.path.startsWith('/lang/')) return next();
  res.redirect(CHANGE_PASSWORD_PATH);
};
