import type { NextFunction, Request, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import type { AppPassport } from './auth.passport.ts';
import { z } from 'zod';
import { flash } from '../middleware/flash.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { CHANGE_PASSWORD_PATH } from './password-gate.ts';
import { normaliseUsername, type SessionUser } from './auth.service.ts';
import { LoginLimiter, type LoginLimitOptions } from './login-limits.ts';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_MS, deviceEntries, knownDevice, rememberDevice } from './known-device.ts';

/** Only same-site paths may be returned to after login ("//host" would leave the site). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : '/';
}

const LoginBody = z.object({
  username: z.string().max(100).default(''),
  password: z.string().max(200).default(''),
  next: z.string().max(500).optional(),
});

/** "30 秒" or "15 分钟": how long to wait, as the refusal page says it. */
function waitText(t: Translate, seconds: number): string {
  return seconds < 60 ? t('auth.wait.seconds', { n: seconds }) : t('auth.wait.minutes', { n: Math.ceil(seconds / 60) });
}

interface AuthRouteOptions {
  /** The session secret, asked for at the first login; it also signs the known-device cookie. */
  secret: () => string;
  secureCookies: boolean;
  limits?: Partial<LoginLimitOptions>;
}

export function authRoutes(passport: AppPassport, options: AuthRouteOptions): RouteDef[] {
  const limiter = new LoginLimiter(options.limits);
  let secretValue: string | undefined;
  const secret = () => (secretValue ??= options.secret());

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
    // req.ip honours X-Forwarded-For only as far as TRUST_PROXY hops; IPv6 counts per /56 network
    const address = ipKeyGenerator(req.ip ?? '');
    const account = normaliseUsername(body.data.username);
    const devices = deviceEntries(req.headers.cookie);
    const device = knownDevice(secret(), devices, account);
    const decision = limiter.begin(address, account, device);
    if (!decision.ok) {
      const t = res.locals.t as Translate;
      const key = decision.reason === 'account' ? 'auth.tooManyForAccount' : 'auth.tooManyFromAddress';
      res.set('Retry-After', String(decision.retryAfterSeconds));
      return renderLogin(req, res, 429, t(key, { wait: waitText(t, decision.retryAfterSeconds) }));
    }
    passport.authenticate('local', (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) {
        limiter.failed(address, device);
        return renderLogin(req, res, 401, res.locals.t('auth.failed'));
      }
      limiter.succeeded(account, device);
      res.cookie(DEVICE_COOKIE, rememberDevice(secret(), devices, account), {
        httpOnly: true,
        sameSite: 'strict',
        secure: options.secureCookies,
        path: '/login',
        maxAge: DEVICE_COOKIE_MAX_AGE_MS,
      });
      req.login(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        flash(req, 'success', 'auth.welcome', { name: user.displayName });
        res.redirect(user.mustChangePassword ? CHANGE_PASSWORD_PATH : safeNext(body.data.next));
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
    { method: 'post', path: '/login', access: 'public', handler: login },
    { method: 'post', path: '/logout', access: 'user', handler: logout },
  ];
}
