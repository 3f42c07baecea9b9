import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { param } from '../middleware/params.ts';
import type { RouteDef } from '../lib/routes.ts';
import { parseInput } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { RegionCode, RegionSearch, SetZone, zones } from './regions.schema.ts';
import * as regions from './regions.service.ts';

const codeParam = (req: Request) => param(req, 'code', RegionCode);

export function regionRoutes(db: Db): RouteDef[] {
  /** @route GET /regions — provinces with their zones, and search */
  function index(req: Request, res: Response) {
    const parsed = parseInput(RegionSearch, req.query);
    const query = parsed.ok ? parsed.data.q : undefined;
    const results = query ? regions.search(db, query, parsed.ok ? parsed.data.page : undefined) : null;
    res.render('regions/index', {
      title: res.locals.t('regions.title'),
      ...regions.overview(db),
      query,
      results,
      errors: parsed.ok ? {} : { q: res.locals.t('validation.tooLong', { max: 40 }) },
    });
  }

  /** @route GET /regions/:code */
  function show(req: Request, res: Response) {
    const page = regions.regionPage(db, codeParam(req));
    const can = regions.regionCapabilities(req.user!, page.region);
    res.render('regions/show', { title: page.region.name, ...page, can, zones, values: { zone: page.region.zone } });
  }

  /** @route POST /regions/:code/zone — admin only */
  async function setZone(req: Request, res: Response) {
    const page = regions.regionPage(db, codeParam(req));
    const saved = await submitForm(req, res, {
      schema: SetZone,
      view: 'regions/show',
      locals: { title: page.region.name, ...page, can: regions.regionCapabilities(req.user!, page.region), zones },
      run: (input) => regions.setZone(db, req.user!, page.region.code, input.zone),
    });
    if (!saved) return;
    flash(req, 'success', 'regions.zoneSaved', { name: saved.name, zone: res.locals.t(`zone.${saved.zone ?? 'none'}`) });
    res.redirect(`/regions/${saved.code}`);
  }

  /** @route GET /regions/suggest — the picker's suggestions for what the user typed (JSON: code and full name, ten at most) */
  function suggest(req: Request, res: Response) {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 40) : '';
    res.json(regions.suggestRegions(db, q));
  }

  return [
    { method: 'get', path: '/regions', access: 'user', handler: index },
    { method: 'get', path: '/regions/suggest', access: 'user', handler: suggest },
    { method: 'get', path: '/regions/:code', access: 'user', handler: show },
    { method: 'post', path: '/regions/:code/zone', access: ['admin'], handler: setZone },
  ];
}
