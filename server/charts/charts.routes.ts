import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { chinaYear } from '../lib/china-time.ts';
import { chartsReady } from '../lib/charts.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { ChartsQuery } from './charts.schema.ts';
import { chartsPage } from './charts.service.ts';

/** The charts page, for every role: each reader's charts hold its own region (or the country). */
export function chartRoutes(db: Db, clock: () => Date): RouteDef[] {
  /** @route GET /charts — funds by year, the east → west Sankey and the province tiles, for a year */
  async function index(req: Request, res: Response) {
    await chartsReady();
    const query = ChartsQuery.parse(req.query);
    const page = chartsPage(db, req.user!, query, chinaYear(clock()), {
      locale: String(res.locals.locale),
      t: res.locals.t as Translate,
    });
    res.render('charts/index', { title: res.locals.t('charts.title'), query, ...page });
  }

  return [{ method: 'get', path: '/charts', access: 'user', handler: index }];
}
