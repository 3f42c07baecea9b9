import type { Request, Response } from 'express';
import { chinaYear } from '../lib/china-time.ts';
import type { Db } from '../../db/client.ts';
import { ConflictError } from '../lib/errors.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import { ids, parseInput } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { listFilters } from '../middleware/list-filters.ts';
import { regionFilterByName } from '../middleware/region-filter.ts';
import { regionFields } from '../regions/regions.service.ts';
import { idParam } from '../middleware/params.ts';
import { recordCapabilities, RECORD_KINDS, recordKindKeys } from '../records/records.service.ts';
import { lockedSides, reportsOfPairing } from '../reports/reports.service.ts';
import { chartsReady } from '../lib/charts.ts';
import { agreementCompletionChart, fundsByYearChart } from './pairing-charts.ts';
import { pairingPage } from './pairing-page.service.ts';
import { presentPairingPage, presentRecent } from './pairing-page.present.ts';
import { remember, versionNow } from '../lib/data-version.ts';
import { presentPairingRows } from './pairing-list.present.ts';
import {
  EndPairing,
  ListPairings,
  PairingInput,
  UpdatePairing,
  pairingLevels,
  pairingSorts,
  pairingStatuses,
  pairupKinds,
} from './pairings.schema.ts';
import * as pairings from './pairings.service.ts';
import { scopePrefixOf } from './pairings.scope.ts';

const writers = ['admin', 'staff'] as const;
const choices = { levels: pairingLevels, statuses: pairingStatuses, pairupKinds, sorts: pairingSorts };

/**
 * The pairing page's three tables, each rendered once per pairing, year, language and unit and kept
 * until the data changes ({{#kept}}; the children's also per scope, as the reader sees those in
 * theirs). The rows are presented only when a table is rendered: the template's {{#each}} and
 * {{#with}} call these functions.
 */
function pageTables(page: ReturnType<typeof pairingPage>, t: Translate, req: Request) {
  let presented: ReturnType<typeof presentPairingPage> | undefined;
  const present = () => (presented ??= presentPairingPage(page, t, req.moneyUnit));
  const at = `pairing ${page.pairing.id} ${page.year}`;
  return {
    measuresKey: `${at} measures`,
    trendKey: `pairing ${page.pairing.id} trend ${page.years[0]}`, // the years shown end with the current one
    childrenKey: `${at} children ${scopePrefixOf(req.user!) ?? '*'}`,
    trendCount: page.trend.length,
    measureRows: () => present().measureRows,
    trendRows: () => present().trendRows,
    childHeaders: () => present().childHeaders,
    childRows: () => present().childRows,
    childSumFigures: () => present().childSumFigures,
  };
}

export function pairingRoutes(db: Db, clock: () => Date): RouteDef[] {
  /** What the pairing form shows: the choices, and what the policy lets this user change. */
  function formLocals(req: Request, pairing?: pairings.PairingView) {
    const general = pairings.pairingsCapabilities(req.user!);
    if (!pairing) return { general, ...choices };
    const can = pairings.capabilitiesOf(db, req.user!, pairing);
    // A fixed structure is shown as text and sent back unchanged; the service refuses any change.
    const structureValues = Object.fromEntries(pairings.STRUCTURE_FIELDS.map((f) => [f, pairing[f] ?? '']));
    return { general, ...choices, pairing, can, lockStructure: !can.editStructure, structureValues };
  }

  /** @route GET /pairings */
  function list(req: Request, res: Response) {
    const parsed = parseInput(ListPairings, req.query);
    const filter = parsed.ok ? parsed.data : { sort: 'level' as const };
    const result = pairings.listPairings(db, req.user!, filter);
    res.render('pairings/list', {
      title: res.locals.t('pairings.title'),
      result,
      // the pairing-name partial, inlined: the same markup
      rows: presentPairingRows(result.items, res.locals.t as Translate),
      general: pairings.pairingsCapabilities(req.user!),
      filter,
      ...choices,
    });
  }

  /** @route GET /pairings/new */
  function newForm(req: Request, res: Response) {
    const values = {
      level: req.query.level ?? 'county',
      parentId: req.query.parent ?? '',
      startYear: chinaYear(clock()),
      status: 'active',
    };
    res.render('pairings/form', { title: res.locals.t('pairings.new'), values, ...formLocals(req) });
  }

  /** @route POST /pairings */
  async function create(req: Request, res: Response) {
    const created = await submitForm(req, res, {
      regions: regionFields(db, ['assistingCode', 'assistedCode']),
      schema: PairingInput,
      view: 'pairings/form',
      locals: { title: res.locals.t('pairings.new'), ...formLocals(req) },
      run: (input) => pairings.createPairing(db, req.user!, input),
    });
    if (!created) return;
    flash(req, 'success', 'pairings.created');
    res.redirect(`/pairings/${created.id}`);
  }

  /** @route GET /pairings/:id */
  async function show(req: Request, res: Response) {
    await chartsReady();
    const year = ids.year.safeParse(req.query.year);
    const version = versionNow(db, 'pages'); // before the page's data is read (see versionNow)
    const page = pairingPage(db, req.user!, idParam(req), year.success ? year.data : undefined, chinaYear(clock()));
    const locked = lockedSides(db, page.pairing.id, page.year);
    res.render('pairings/show', {
      title: res.locals.t('pairings.one'),
      ...page,
      can: pairings.capabilitiesOf(db, req.user!, page.pairing),
      // the year shown: a side that submitted it adds nothing to it
      kinds: recordKindKeys.map((key) => ({
        key,
        canAdd: recordCapabilities(req.user!, RECORD_KINDS[key], page.pairing, undefined, locked).create,
      })),
      reports: reportsOfPairing(db, req.user!, page.pairing, page.year),
      // drawn once per data version and language (a chart takes milliseconds; a page view, less)
      fundsChart:
        page.trend.length > 0
          ? remember(db, `chart funds ${page.pairing.id} ${String(res.locals.locale)}`, () =>
              fundsByYearChart(page, res.locals.t as Translate),
            )
          : undefined,
      completionChart: page.agreement
        ? remember(db, `chart completion ${page.pairing.id} ${page.year} ${String(res.locals.locale)} ${req.moneyUnit}`, () =>
            agreementCompletionChart(page, res.locals.t as Translate, req.moneyUnit),
          )
        : undefined,
      ...pageTables(page, res.locals.t as Translate, req),
      recentRows: presentRecent(page.recent, page.recentTitles, page.pairing.id, res.locals.t as Translate),
      keep: (key: string, render: () => string) => remember(db, `fragment ${version} ${key}`, render, 'pages'),
    });
  }

  /** @route GET /pairings/:id/edit */
  function edit(req: Request, res: Response) {
    const pairing = pairings.getWritablePairing(db, req.user!, idParam(req));
    const values = {
      ...pairing,
      // the sides by name with their code, as the picker shows a choice (and reads it back)
      assistingCode: `${pairing.assistingName}（${pairing.assistingCode}）`,
      assistedCode: `${pairing.assistedName}（${pairing.assistedCode}）`,
      assistingUnit: pairing.assistingUnit ?? '',
      assistedUnit: pairing.assistedUnit ?? '',
      endYear: pairing.endYear ?? '',
      parentId: pairing.parentId ?? '',
      notes: pairing.notes ?? '',
    };
    res.render('pairings/form', { title: res.locals.t('pairings.edit'), values, ...formLocals(req, pairing) });
  }

  /** @route POST /pairings/:id */
  async function update(req: Request, res: Response) {
    const pairing = pairings.getWritablePairing(db, req.user!, idParam(req));
    const locals = { title: res.locals.t('pairings.edit'), ...formLocals(req, pairing) };
    try {
      const saved = await submitForm(req, res, {
        regions: regionFields(db, ['assistingCode', 'assistedCode']),
        schema: UpdatePairing,
        view: 'pairings/form',
        locals,
        run: (input) => pairings.updatePairing(db, req.user!, pairing.id, input),
      });
      if (!saved) return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const current = pairings.getPairing(db, req.user!, pairing.id);
      // Keep what they typed, show what is stored now, and arm the form with the new version.
      return res.status(409).render('pairings/form', {
        ...locals,
        values: { ...req.body, version: current.version },
        conflict: current,
        formError: res.locals.t('conflict.stale'),
      });
    }
    flash(req, 'success', 'flash.saved');
    res.redirect(`/pairings/${pairing.id}`);
  }

  /** @route GET /pairings/:id/end — asks for the end year before ending a pairing */
  function confirmEnd(req: Request, res: Response) {
    const pairing = pairings.getWritablePairing(db, req.user!, idParam(req));
    res.render('pairings/end', {
      title: res.locals.t('pairings.end'),
      pairing,
      values: { endYear: chinaYear(clock()) - 1, version: pairing.version },
    });
  }

  /** @route POST /pairings/:id/end */
  async function end(req: Request, res: Response) {
    const pairing = pairings.getWritablePairing(db, req.user!, idParam(req));
    const done = await submitForm(req, res, {
      schema: EndPairing,
      view: 'pairings/end',
      locals: { title: res.locals.t('pairings.end'), pairing },
      run: (input) => pairings.endPairing(db, req.user!, pairing.id, input.endYear, input.version),
    });
    if (!done) return;
    flash(req, 'success', 'pairings.ended', { year: done.endYear ?? '' });
    res.redirect(`/pairings/${pairing.id}`);
  }

  /** @route GET /pairings/:id/delete — admin: confirm a soft delete */
  function confirmDelete(req: Request, res: Response) {
    const pairing = pairings.getPairing(db, req.user!, idParam(req));
    res.render('pairings/delete', { title: res.locals.t('common.delete'), pairing });
  }

  /** @route POST /pairings/:id/delete */
  function destroy(req: Request, res: Response) {
    const id = idParam(req);
    pairings.deletePairing(db, req.user!, id);
    flash(req, 'success', 'pairings.deleted');
    res.redirect('/pairings');
  }

  /** @route POST /pairings/:id/restore */
  function restore(req: Request, res: Response) {
    const id = idParam(req);
    pairings.restorePairing(db, req.user!, id);
    flash(req, 'success', 'common.restored');
    res.redirect(`/pairings/${id}`);
  }

  return [
    {
      method: 'get',
      path: '/pairings',
      access: 'user',
      before: [regionFilterByName(db), listFilters(db, 'pairings')],
      handler: list,
    },
    { method: 'get', path: '/pairings/new', access: writers, handler: newForm },
    { method: 'post', path: '/pairings', access: writers, handler: create },
    { method: 'get', path: '/pairings/:id', access: 'user', handler: show },
    { method: 'get', path: '/pairings/:id/edit', access: writers, handler: edit },
    { method: 'post', path: '/pairings/:id', access: writers, handler: update },
    { method: 'get', path: '/pairings/:id/end', access: writers, handler: confirmEnd },
    { method: 'post', path: '/pairings/:id/end', access: writers, handler: end },
    { method: 'get', path: '/pairings/:id/delete', access: ['admin'], handler: confirmDelete },
    { method: 'post', path: '/pairings/:id/delete', access: ['admin'], handler: destroy },
    { method: 'post', path: '/pairings/:id/restore', access: ['admin'], handler: restore },
  ];
}
