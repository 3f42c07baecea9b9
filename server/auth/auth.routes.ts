import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { AppPassport } from './auth.passport.ts';
import { z } from 'zod';
import { flash } from '../middleware/flash.ts';
import type { RouteDef } from '../lib/routes.ts';
import { normaliseUsername, type SessionUser } from './auth.service.ts';

const LOGIN_WINDOW_MS = 15 * 60 * 1000;

/** Only same-site paths may be returned to after login ("//host" would leave the site). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

const LoginBody = z.object({
  username: z.string().max(100).default(''),
  password: z.string().max(200).default(''),
  next: z.string().max(500).optional(),
});

export function authRoutes(passport: AppPassport): RouteDef[] {
  function renderLogin(req: Request, res: Response, status: number, error?: string) {
    const body = LoginBody.safeParse(req.body ?? {});
    const username = body.success ? body.data.username : '';
    const next = body.success ? body.data.next : undefined;
    res.status(status).render('auth/login', {
      title: res.locals.t('auth.title'),
      error,
      values: { username, next: next ?? safeNext(req.query.next) },
    });
  }

  // Failures only (successful logins are not counted), per IP and username, plus a looser per-IP cap
  // against guessing many usernames from one place.
  const limitHandler = (req: Request, res: Response) => renderLogin(req, res, 429, res.locals.t('auth.rateLimited'));
  const perUser = rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit: 10,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${normaliseUsername(String(req.body?.username ?? ''))}`,
    handler: limitHandler,
  });
  const perIp = rateLimit({
    windowMs: LOGIN_WINDOW_MS,
    limit: 100,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: limitHandler,
  });

  /** @route GET /login */
  function show(req: Request, res: Response) {
    if (req.user) return res.redirect('/');
    res.render('auth/login', { title: res.locals.t('auth.title'), values: { next: safeNext(req.query.next) } });
  }

  /** @route POST /login — passport-local; req.login regenerates the session id */
  function login(req: Request, res: Response, next: NextFunction) {
    const body = LoginBody.safeParse(req.body ?? {});
    if (!body.success || !body.data.username || !body.data.password)
      return renderLogin(req, res, 401, res.locals.t('auth.failed'));
    passport.authenticate('local', (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) return renderLogin(req, res, 401, res.locals.t('auth.failed'));
      req.login(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        flash(req, 'success', 'auth.welcome', { name: user.displayName });
        res.redirect(safeNext(body.data.next));
      });
    })(req, res, next);
  }

  /** @route POST /logout */
  function logout(req: Request, res: Response, next: NextFunction) {
    req.logout((err) => {
      if (err) return next(err);
      flash(req, 'info', 'flash.loggedOut');
      res.redirect('/login');
    });
  }

  return [
    { method: 'get', path: '/login', access: 'public', handler: show },
    { method: 'post', path: '/login', access: 'public', handler: login, before: [perIp, perUser] },
    { method: 'post', path: '/logout', access: 'user', handler: logout },
  ];
}
