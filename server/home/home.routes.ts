import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import { chinaYear } from '../lib/china-time.ts';
import { remember } from '../lib/data-version.ts';
import { isLocale } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { parseInput } from '../lib/validation.ts';
import { safeNext } from '../auth/auth.routes.ts';
import { backupOverview } from '../backups/backups.admin.ts';
import { LANG_COOKIE, UNIT_COOKIE } from '../middleware/locals.ts';
import { isMoneyUnit } from '../lib/money.ts';
import { isWithin, regionNames } from '../regions/regions.service.ts';
import { databaseIsHealthy } from './home.service.ts';
import { BoardQuery, ChangesQuery } from './home.schema.ts';
import { boardOf, changesAfter, changesSinceLastVisit } from './home.staff.ts';
import {
  dataHealth,
  evaluatorWork,
  liaisonTotals,
  openReportsByProvince,
  publishedScorecards,
  recentAudit,
  userCounts,
} from './home.roles.ts';
import { presentAudit, presentBoard, presentChanges, presentOpenReports } from './home.present.ts';

/**
 * Each role's first screen says what to do today (issue 11): an office's completeness board and
 * what waits on it, a liaison's totals and the partner's entries, an evaluator's scores still
 * owed, the admin's overdue reports and the system's state. Every number links to the list behind it.
 */
export function homeRoutes(db: Db, config: Config, clock: () => Date): RouteDef[] {
  const secureCookies = config.env === 'production';

  /** The board's rows rendered once per page of rows, language and money unit (views.ts {{#kept}}). */
  const keep = (key: string, render: () => string) => remember(db, `fragment ${key}`, render, 'pages');

  /** @route GET / — the user's home page, by role */
  function home(req: Request, res: Response) {
    const actor = req.user!;
    const now = clock();
    const t = res.locals.t;
    const base = { title: t('home.title') };
    if ((actor.role === 'staff' || actor.role === 'liaison') && actor.scope) {
      const query = boardQuery(req, now);
      const board = boardOf(db, actor.scope, query, now);
      const changes = changesSinceLastVisit(db, actor);
      const view = actor.role === 'staff' ? 'home/staff' : 'home/liaison';
      const extra =
        actor.role === 'liaison'
          ? { totals: liaisonTotals(db, actor.scope, query.year), scorecards: publishedScorecards(db, actor) }
          : {};
      return res.render(view, {
        ...base,
        ...presentBoard(board, t, String(res.locals.locale)),
        keep,
        changes: presentChanges(changes, t),
        ...extra,
      });
    }
    if (actor.role === 'evaluator') return res.render('home/evaluator', { ...base, work: evaluatorWork(db, actor, now) });
    if (actor.role === 'admin') {
      return res.render('home/admin', {
        ...base,
        open: presentOpenReports(db, openReportsByProvince(db, now)),
        users: userCounts(db),
        audit: presentAudit(db, recentAudit(db), t, req.locale),
        backups: backupOverview(config.backupDir, config.backupKeep),
        health: { database: databaseIsHealthy(db), ...dataHealth(db) },
      });
    }
    res.render('home/index', base);
  }

  function boardQuery(req: Request, now: Date) {
    const parsed = parseInput(BoardQuery, req.query);
    const q = parsed.ok ? parsed.data : { show: 'all' as const };
    // a year with pairings in force (2016 on) or the next: any other would only fill the caches
    const thisYear = chinaYear(now);
    const year = q.year !== undefined && q.year >= 2016 && q.year <= thisYear + 1 ? q.year : thisYear;
    return { ...q, year };
  }

  /** @route GET /board — the completeness board of a region (the admin's choice, or within the user's own scope) */
  function board(req: Request, res: Response) {
    const actor = req.user!;
    const now = clock();
    const query = boardQuery(req, now);
    // an office or liaison may narrow to a region within its scope, never widen it
    const wanted = query.region;
    const prefix = actor.scope === null ? (wanted ?? null) : wanted && isWithin(wanted, actor.scope) ? wanted : actor.scope;
    if (prefix === null) return res.redirect('/');
    const regionName = regionNames(db, [prefix.padEnd(6, '0')]).get(prefix.padEnd(6, '0'));
    // a prefix naming no region is not a board (nor a cache entry)
    if (regionName === undefined) return res.redirect(actor.scope === null ? '/' : '/board');
    const view = boardOf(db, prefix, query, now);
    res.render('home/board', {
      title: res.locals.t('home.board.title'),
      regionName,
      ...presentBoard(view, res.locals.t, String(res.locals.locale), prefix),
      keep,
    });
  }

  /** @route GET /changes — the partner side's changes to records after a point (the home page's "since your last visit") */
  function changes(req: Request, res: Response) {
    const actor = req.user!;
    if (!actor.scope) return res.redirect('/');
    const parsed = parseInput(ChangesQuery, req.query);
    const after = parsed.ok ? parsed.data.after : 0;
    res.render('home/changes', {
      title: res.locals.t('home.changes.title'),
      ...presentChanges(changesAfter(db, actor, after), res.locals.t),
    });
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
    { method: 'get', path: '/board', access: ['admin', 'staff', 'liaison'], handler: board },
    { method: 'get', path: '/changes', access: ['staff', 'liaison'], handler: changes },
    { method: 'get', path: '/lang/:locale', access: 'public', handler: setLanguage },
    { method: 'get', path: '/unit/:unit', access: 'public', handler: setUnit },
    { method: 'get', path: '/healthz', access: 'public', handler: health },
  ];
}
