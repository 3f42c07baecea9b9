import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { historyLocals, historyPageAsked, legibleHistory } from '../audit/history.present.ts';
import { ConflictError } from '../lib/errors.ts';
import type { Translate } from '../lib/i18n.ts';
import { formFieldsFor, formValues } from '../lib/present.ts';
import type { RouteDef } from '../lib/routes.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { idParam, yearParam } from '../middleware/params.ts';
import { SaveAgreement, type SaveAgreementInput } from './agreements.schema.ts';
import { AGREEMENT_FIELDS, commentOnAgreement, getAgreement, saveAgreement } from './agreements.service.ts';
import { commentHandler } from '../comments/comments.routes.ts';
import { COMMENTER_ROLES } from '../pairings/pairings.service.ts';
import { regionNames } from '../regions/regions.service.ts';

export function agreementRoutes(db: Db): RouteDef[] {
  /** @route GET /pairings/:id/agreements/:year — the agreement form (read-only for readers) */
  function edit(req: Request, res: Response) {
    const year = yearParam(req);
    const { pairing, agreement, can, comments } = getAgreement(db, req.user!, idParam(req), year);
    const values = agreement
      ? { ...formValues(AGREEMENT_FIELDS, agreement, req.moneyUnit), version: agreement.version }
      : { version: 0 };
    res.render('agreements/form', {
      title: res.locals.t('agreements.title', { year }),
      pairing,
      agreement,
      year,
      can,
      comments,
      values,
      fields: formFieldsFor(AGREEMENT_FIELDS, res.locals.t),
      ...(agreement
        ? historyLocals(
            legibleHistory(db, 'agreement', agreement.id, {
              fields: AGREEMENT_FIELDS,
              t: res.locals.t as Translate,
              unit: req.moneyUnit,
              locale: req.locale,
              regionNamesOf: (codes) => regionNames(db, codes),
              page: historyPageAsked(req.query),
            }),
          )
        : {}),
    });
  }

  /** @route POST /pairings/:id/agreements/:year */
  async function save(req: Request, res: Response) {
    const year = yearParam(req);
    const { pairing, agreement, can, comments } = getAgreement(db, req.user!, idParam(req), year);
    const locals = {
      title: res.locals.t('agreements.title', { year }),
      pairing,
      agreement,
      year,
      can,
      comments,
      fields: formFieldsFor(AGREEMENT_FIELDS, res.locals.t),
    };
    try {
      const saved = await submitForm(req, res, {
        schema: SaveAgreement,
        view: 'agreements/form',
        locals,
        run: (input) => saveAgreement(db, req.user!, pairing.id, year, input as SaveAgreementInput),
      });
      if (saved === undefined) return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const current = getAgreement(db, req.user!, pairing.id, year).agreement;
      const theirs = current ? formValues(AGREEMENT_FIELDS, current, req.moneyUnit) : {};
      return res.status(409).render('agreements/form', {
        ...locals,
        values: { ...req.body, version: current?.version ?? 0 },
        conflict: theirs,
        formError: res.locals.t('conflict.stale'),
      });
    }
    flash(req, 'success', 'flash.saved');
    res.redirect(`/pairings/${pairing.id}?year=${year}`);
  }

  /** @route POST /pairings/:id/agreements/:year/comments */
  const comment = commentHandler(
    (req, body) => commentOnAgreement(db, req.user!, idParam(req), yearParam(req), body),
    (req) => `/pairings/${idParam(req)}/agreements/${yearParam(req)}`,
  );

  return [
    { method: 'get', path: '/pairings/:id/agreements/:year', access: 'user', handler: edit },
    { method: 'post', path: '/pairings/:id/agreements/:year', access: ['admin', 'staff'], handler: save },
    { method: 'post', path: '/pairings/:id/agreements/:year/comments', access: COMMENTER_ROLES, handler: comment },
  ];
}
