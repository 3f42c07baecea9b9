import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { BadRequestError, ConflictError, ValidationError } from '../lib/errors.ts';
import type { Translate } from '../lib/i18n.ts';
import { keptBy } from '../lib/kept-by.ts';
import { pageWindow } from '../lib/pagination.ts';
import { arrowOf, formatHundredths } from '../lib/present.ts';
import type { RouteDef } from '../lib/routes.ts';
import type { FieldErrors } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { renderInvalid } from '../middleware/forms.ts';
import { nameOwner } from './assessment.organisation.ts';
import { confirmPublish, proposePublish, publishPage, withdrawPublish } from './assessment.publish.ts';
import { advanceRound, openRound, returnRound } from './assessment.rounds.ts';
import { ConfirmPublish, LeagueQuery, MoveRound, NameOwner, yearParam } from './assessment.schema.ts';
import { yearPage } from './assessment.pages.ts';
import { orderedRows } from './assessment.league.ts';
import { gradeDistributionChart } from './assessment.charts.ts';
import { chartsReady } from '../lib/charts.ts';
import type * as assessment from './assessment.service.ts';

const assessors = ['admin', 'evaluator'] as const;

/** Rows shown on the year page per group; one group is read 50 a page. */
export const LEAGUE_OVERVIEW_ROWS = 10;

/**
 * A league row's cells as they read: printed as they are (through helpers, a table of 40 rows made
 * a fifth of the year page's time; issue 9's profile).
 */
function leagueRowText(o: assessment.ObjectResult, t: Translate) {
  return {
    total: `${formatHundredths(o.total)} / ${formatHundredths(o.max)}`,
    grade: t(`grade.${o.grade}`),
    pending: o.pending ? t('league.pending', { n: o.pending }) : '',
    flagged: o.flagged ? t('league.flagged', { n: o.flagged }) : '',
    vetoes: o.vetoes.map((v) => `${v.name}：${v.reason} `).join(''),
    rankWas: o.previous ? `${arrowOf(o.rankMove)} ${t('league.rankWas', { rank: o.previous.rank })}` : '',
    percentWas: o.previous ? `${arrowOf(o.scoreMove)} ${o.previous.percent}%` : '',
  };
}

/**
 * League tables sorted and filtered as asked (above/below the group's average): the year page
 * shows each group's first ten, and one group (`group=`) is read 50 rows a page. A county league
 * holds over a thousand objects; printing them all made the page 16 ms and 1 MB.
 */
export function leagueView(groups: assessment.GroupResult[], query: unknown, t: Translate) {
  const q = LeagueQuery.parse(query ?? {});
  const one = groups.find((g) => g.key === q.group);
  return {
    query: q,
    group: one?.key,
    groups: (one ? [one] : groups).map((g) => {
      const rows = orderedRows(g, q.sort, q.filter);
      const w = one ? pageWindow(q.page, rows.length) : pageWindow(1, rows.length, LEAGUE_OVERVIEW_ROWS);
      return {
        ...g,
        rows: rows.slice(w.offset, w.offset + w.pageSize).map((o) => ({ ...o, text: leagueRowText(o, t) })),
        result: { page: w.page, pages: w.pages, total: rows.length },
        more: !one && rows.length > w.pageSize,
        params: { sort: q.sort, filter: q.filter, group: g.key },
      };
    }),
  };
}

/** The year page (round and league tables) and the round's moves: open, advance, return, owner, publication. */
export function yearRoutes(db: Db): RouteDef[] {
  const yearLocals = (req: Request, res: Response, y: number) => {
    const page = yearPage(db, req.user!, y);
    const t = res.locals.t as Translate;
    // the league's tables as this reader sees them, and their markup, kept with the groups they
    // show (the same object comes back while the year's results and the reader's view stand)
    const query = JSON.stringify(LeagueQuery.parse(req.query ?? {})); // what the view reads, in one order
    const league = keptBy(page.groups, `view ${req.locale} ${query}`, () => leagueView(page.groups, req.query, t), 16);
    return {
      title: t('assessment.yearTitle', { year: y }),
      year: y,
      ...page,
      ...league,
      leagueKey: query,
      allGroups: page.groups, // every group the reader sees (`groups` may be one, when asked for)
      keep: (key: string, render: () => string) => keptBy(page.groups, `html ${key}`, render, 16),
    };
  };

  /** @route GET /assessment/:year — the round and the league tables */
  async function year(req: Request, res: Response) {
    await chartsReady();
    const locals = yearLocals(req, res, yearParam(req));
    const gradeChart = gradeDistributionChart(locals.allGroups, locals.year, res.locals.t as Translate, req.locale);
    res.render('assessment/year', { ...locals, gradeChart });
  }

  const version = (req: Request) => {
    const parsed = MoveRound.safeParse(req.body);
    if (!parsed.success) throw new BadRequestError();
    return parsed.data;
  };

  /** @route POST /assessment/:year/round — opens the year's round */
  function open(req: Request, res: Response) {
    const y = yearParam(req);
    openRound(db, req.user!, y);
    flash(req, 'success', 'assessment.roundOpened');
    res.redirect(`/assessment/${y}`);
  }

  /** @route POST /assessment/:year/advance — one stage forward, up to feedback */
  function advance(req: Request, res: Response) {
    const y = yearParam(req);
    const stage = advanceRound(db, req.user!, y, version(req).version);
    flash(req, 'success', 'assessment.movedTo', { stage: res.locals.t(`stage.${stage}`) });
    res.redirect(`/assessment/${y}`);
  }

  /** @route POST /assessment/:year/return — back one stage, with a reason */
  function back(req: Request, res: Response) {
    const y = yearParam(req);
    const v = version(req);
    const stage = returnRound(db, req.user!, y, v.reason ?? '', v.version);
    flash(req, 'info', 'assessment.returnedTo', { stage: res.locals.t(`stage.${stage}`) });
    res.redirect(`/assessment/${y}`);
  }

  /** @route POST /assessment/:year/owner — an admin names the round's owner */
  function owner(req: Request, res: Response) {
    const y = yearParam(req);
    const parsed = NameOwner.safeParse(req.body);
    const invalid = (fields: FieldErrors) => renderInvalid(res, 'assessment/year', yearLocals(req, res, y), req.body, fields);
    if (!parsed.success) return invalid({ ownerId: { key: 'owner.invalid' } });
    try {
      nameOwner(db, req.user!, y, parsed.data.ownerId, parsed.data.version);
    } catch (err) {
      if (err instanceof ValidationError) return invalid(err.fields);
      throw err;
    }
    flash(req, 'success', 'owner.saved');
    res.redirect(`/assessment/${y}`);
  }

  const pageLocals = (req: Request, res: Response, y: number) => ({
    title: res.locals.t('publish.title', { year: y }),
    year: y,
    ...publishPage(db, req.user!, y),
  });

  /**
   * A refused proposal or confirmation answers 409 with the publication page: the reason on top,
   * then what is missing, each indicator named in the reader's language.
   */
  function refused(req: Request, res: Response, y: number, err: unknown) {
    if (!(err instanceof ConflictError)) throw err;
    res
      .status(409)
      .render('assessment/publish', { ...pageLocals(req, res, y), refusal: res.locals.t(err.messageKey, err.params) });
  }

  /** @route POST /assessment/:year/publish/propose — the first of the two people */
  function propose(req: Request, res: Response) {
    const y = yearParam(req);
    try {
      proposePublish(db, req.user!, y, version(req).version);
    } catch (err) {
      return refused(req, res, y, err);
    }
    flash(req, 'success', 'publish.proposed');
    res.redirect(`/assessment/${y}`);
  }

  /** @route POST /assessment/:year/publish/withdraw */
  function withdraw(req: Request, res: Response) {
    const y = yearParam(req);
    withdrawPublish(db, req.user!, y, version(req).version);
    flash(req, 'info', 'publish.withdrawn');
    res.redirect(`/assessment/${y}`);
  }

  /** @route GET /assessment/:year/publish — the confirmation page, naming the consequence */
  function confirmation(req: Request, res: Response) {
    const y = yearParam(req);
    res.render('assessment/publish', pageLocals(req, res, y));
  }

  /** @route POST /assessment/:year/publish — the second person confirms: scorecards freeze */
  function confirm(req: Request, res: Response) {
    const y = yearParam(req);
    const parsed = ConfirmPublish.safeParse(req.body);
    if (!parsed.success) throw new BadRequestError();
    try {
      confirmPublish(db, req.user!, y, parsed.data.version, parsed.data.confirm);
    } catch (err) {
      if (err instanceof ValidationError)
        return renderInvalid(res, 'assessment/publish', pageLocals(req, res, y), req.body, err.fields);
      return refused(req, res, y, err);
    }
    flash(req, 'success', 'publish.published');
    res.redirect(`/assessment/${y}`);
  }

  return [
    { method: 'get', path: '/assessment/:year', access: 'user', handler: year },
    { method: 'post', path: '/assessment/:year/round', access: assessors, handler: open },
    { method: 'post', path: '/assessment/:year/advance', access: assessors, handler: advance },
    { method: 'post', path: '/assessment/:year/return', access: assessors, handler: back },
    { method: 'post', path: '/assessment/:year/owner', access: ['admin'], handler: owner },
    { method: 'post', path: '/assessment/:year/publish/propose', access: assessors, handler: propose },
    { method: 'post', path: '/assessment/:year/publish/withdraw', access: assessors, handler: withdraw },
    { method: 'get', path: '/assessment/:year/publish', access: assessors, handler: confirmation },
    { method: 'post', path: '/assessment/:year/publish', access: assessors, handler: confirm },
  ];
}
