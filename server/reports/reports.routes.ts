import type { Request, Response } from 'express';
import { chinaYear } from '../lib/china-time.ts';
import type { Db } from '../../db/client.ts';
import type { Side } from '../../db/schema/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { ids } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { idParam } from '../middleware/params.ts';
import { ReturnReport, SetDeadline, sideParam } from './reports.schema.ts';
import * as reports from './reports.service.ts';

/**
 * A side's yearly report: submitted by its office (after a confirmation: it locks the side's
 * figures of the year), returned with a reason or accepted by the level above; and the admin's
 * deadlines. The pairing page shows each side's status with what the user may do.
 */
function target(req: Request): { pairingId: number; year: number; side: Side } {
  const year = ids.year.safeParse(req.params.year);
  const side = sideParam.safeParse(req.params.side);
  if (!year.success || !side.success) throw new NotFoundError();
  return { pairingId: idParam(req), year: year.data, side: side.data };
}

const back = (t: { pairingId: number; year: number }) => `/pairings/${t.pairingId}?year=${t.year}#reports`;

export function reportRoutes(db: Db): RouteDef[] {
  /** What a step's page shows: the side's report, whether the step is open to the user, and where it posts. */
  function stepLocals(req: Request, res: Response, kind: 'submit' | 'return' | 'accept') {
    const at = target(req);
    const { pairing, items, deadline, files } = reports.reportsOfYear(db, req.user!, at.pairingId, at.year);
    const report = items.find((r) => r.side === at.side)!;
    return {
      title: (res.locals.t as Translate)(`reports.step.${kind}`),
      step: kind,
      pairing,
      year: at.year,
      deadline,
      report,
      allowed: report.can[kind],
      whyNot: report.can[kind] ? null : reports.whyNot(report, kind, files),
      action: `/pairings/${at.pairingId}/reports/${at.year}/${at.side}/${kind}`,
      backTo: back(at),
    };
  }

  /** The confirmation (submit, accept) or the reason form (return) of one side's report. */
  function step(kind: 'submit' | 'return' | 'accept') {
    return (req: Request, res: Response) => res.render('reports/step', { ...stepLocals(req, res, kind), values: {} });
  }

  /** @route POST /pairings/:id/reports/:year/:side/submit — the side's office submits its year (locks its figures) */
  function submit(req: Request, res: Response) {
    const at = target(req);
    reports.submitReport(db, req.user!, at.pairingId, at.year, at.side);
    flash(req, 'success', 'reports.submitted', { year: at.year });
    res.redirect(303, back(at));
  }

  /** @route POST /pairings/:id/reports/:year/:side/accept — the level above accepts a submitted report */
  function accept(req: Request, res: Response) {
    const at = target(req);
    reports.acceptReport(db, req.user!, at.pairingId, at.year, at.side);
    flash(req, 'success', 'reports.accepted', { year: at.year });
    res.redirect(303, back(at));
  }

  /** @route POST /pairings/:id/reports/:year/:side/return — the level above returns it with a reason (the lock lifts) */
  async function returnIt(req: Request, res: Response) {
    const at = target(req);
    const done = await submitForm(req, res, {
      schema: ReturnReport,
      view: 'reports/step',
      locals: stepLocals(req, res, 'return'),
      run: (data) => {
        reports.returnReport(db, req.user!, at.pairingId, at.year, at.side, data.reason);
        return true;
      },
    });
    if (!done) return;
    flash(req, 'success', 'reports.returned', { year: at.year });
    res.redirect(303, back(at));
  }

  /** @route GET /admin/deadlines — each year's reporting deadline */
  function deadlines(req: Request, res: Response) {
    res.render('reports/deadlines', {
      title: res.locals.t('reports.deadlines.title'),
      deadlines: reports.deadlines(db, req.user!),
      values: { year: chinaYear(new Date()) },
    });
  }

  /** @route POST /admin/deadlines — set a year's deadline */
  async function setDeadline(req: Request, res: Response) {
    const done = await submitForm(req, res, {
      schema: SetDeadline,
      view: 'reports/deadlines',
      locals: { title: res.locals.t('reports.deadlines.title'), deadlines: reports.deadlines(db, req.user!) },
      run: (data) => {
        reports.setDeadline(db, req.user!, data.year as number, data.deadline as string);
        return true;
      },
    });
    if (!done) return;
    flash(req, 'success', 'reports.deadlines.saved');
    res.redirect(303, '/admin/deadlines');
  }

  const writers = ['admin', 'staff'] as const;
  return [
    { method: 'get', path: '/pairings/:id/reports/:year/:side/submit', access: writers, handler: step('submit') },
    { method: 'post', path: '/pairings/:id/reports/:year/:side/submit', access: writers, handler: submit },
    { method: 'get', path: '/pairings/:id/reports/:year/:side/return', access: writers, handler: step('return') },
    { method: 'post', path: '/pairings/:id/reports/:year/:side/return', access: writers, handler: returnIt },
    { method: 'get', path: '/pairings/:id/reports/:year/:side/accept', access: writers, handler: step('accept') },
    { method: 'post', path: '/pairings/:id/reports/:year/:side/accept', access: writers, handler: accept },
    { method: 'get', path: '/admin/deadlines', access: ['admin'], handler: deadlines },
    { method: 'post', path: '/admin/deadlines', access: ['admin'], handler: setDeadline },
  ];
}
