import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { isLocale } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { safeNext } from '../auth/auth.routes.ts';
import { LANG_COOKIE, UNIT_COOKIE } from '../middleware/locals.ts';
import { isMoneyUnit } from '../lib/money.ts';
import { databaseIsHealthy } from './home.service.ts';

export function homeRoutes(db: Db, secureCookies: boolean): RouteDef[] {
  /** @route GET / — the user's home page */
  function home(_req: Request, res: Response) {
    res.render('home/index', { title: res.locals.t('home.title') });
  }

  /** @route GET /lang/:locale — remembers the language in a cookie and goes back */
  function setLanguage(req: Request, res: Response) {
    const locale = req.params.locale;
    if (isLocale(locale)) {
      res.cookie(LANG_COOKIE, locale, { httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: 365 * 24 * 3600 * 1000 });
    }
    res.redirect(safeNext(req.query.back));
  }

  /** @route GET /unit/:unit — remembers the money unit (元 or 万元) and goes back */
  function setUnit(req: Request, res: Response) {
    const unit = req.params.unit;
    if (isMoneyUnit(unit)) {
      res.cookie(UNIT_COOKIE, unit, { httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: 365 * 24 * 3600 * 1000 });
    }
    res.redirect(safeNext(req.query.back));
  }

  /** @route GET /healthz — checks the database answers */
  function health(_req: Request, res: Response) {
    const ok = databaseIsHealthy(db);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'error' });
  }

  return [
    { method: 'get', path: '/', access: 'user', handler: home },
    { method: 'get', path: '/lang/:locale', access: 'public', handler: setLanguage },
    { method: 'get', path: '/unit/:unit', access: 'public', handler: setUnit },
    { method: 'get', path: '/healthz', access: 'public', handler: health },
  ];
}
