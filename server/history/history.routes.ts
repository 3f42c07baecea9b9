import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { pairingHistoryPage } from '../audit/audit.service.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { idParam } from '../middleware/params.ts';
import { getPairing } from '../pairings/pairings.service.ts';
import { presentPairingHistory } from './history.present.ts';

/** A pairing's history tab: the pairing, its agreements and its records, an import as one entry. */
export function historyRoutes(db: Db): RouteDef[] {
  /** @route GET /pairings/:id/history */
  function pairingHistory(req: Request, res: Response) {
    const pairing = getPairing(db, req.user!, idParam(req));
    const requested = Number(req.query.page);
    const page = pairingHistoryPage(db, pairing.id, Number.isInteger(requested) && requested > 0 ? requested : undefined);
    res.render('pairings/history', {
      title: res.locals.t('history.title'),
      pairing,
      history: presentPairingHistory(db, pairing.id, page.entries, { t: res.locals.t as Translate, unit: req.moneyUnit }),
      historyPage: page.pages > 1 ? { page: page.page, pages: page.pages, total: page.total } : undefined,
      historyParams: {},
    });
  }

  return [{ method: 'get', path: '/pairings/:id/history', access: 'user', handler: pairingHistory }];
}
