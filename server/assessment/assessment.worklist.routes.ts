import type { Request, Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { RouteDef } from '../lib/routes.ts';
import type { FieldErrors } from '../lib/validation.ts';
import { renderInvalid } from '../middleware/forms.ts';
import type { Reader } from './assessment.present.ts';
import { yearParam } from './assessment.schema.ts';
import { worklist } from './assessment.worklist.ts';

const WorklistQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined) });

const reader = (req: Request, res: Response): Reader => ({ t: res.locals.t, locale: req.locale, unit: req.moneyUnit });

/** The worklist's locals: the evaluator's waiting items, progress and what waits for moderation. */
export function worklistLocals(db: Db, req: Request, res: Response, page?: number) {
  const y = yearParam(req);
  const list = worklist(db, req.user!, y, page, reader(req, res));
  return {
    title: res.locals.t('worklist.title', { year: y }),
    year: y,
    from: 'worklist',
    ...list,
    flaggedShown: list.flagged.slice(0, 20),
  };
}

/** The worklist again after a refused score: 422, the typed values and the message on that item. */
export function worklistInvalid(db: Db, req: Request, res: Response, errors: FieldErrors) {
  const page = Number(req.body?.page) || undefined;
  const locals = {
    ...worklistLocals(db, req, res, page),
    openItem: `${req.body?.objectKey} ${req.body?.indicatorKey}`,
    openForm: req.body?.indicatorKey,
    openKind: req.body?.kind,
  };
  renderInvalid(res, 'assessment/worklist', locals, req.body, errors);
}

export function worklistRoutes(db: Db): RouteDef[] {
  /** @route GET /assessment/:year/worklist — the scores and answers waiting for this evaluator */
  function show(req: Request, res: Response) {
    const { page } = WorklistQuery.parse(req.query ?? {});
    res.render('assessment/worklist', worklistLocals(db, req, res, page));
  }
  return [{ method: 'get', path: '/assessment/:year/worklist', access: ['admin', 'evaluator'], handler: show }];
}
