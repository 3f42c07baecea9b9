import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import * as edits from './assessment.editor.ts';
import { asValues, choices, editable, frameworkForm, nameIn } from './assessment.editor.forms.ts';
import { frameworkMoreRoutes } from './assessment.editor.more.routes.ts';
import { AreaForm, BAND_ROWS, IndicatorForm, MoveForm, VersionForm, itemParam } from './assessment.editor.schema.ts';
import { editFramework, editorPage } from './assessment.editor.service.ts';
import type { FrameworkDoc, Indicator } from './assessment.framework.ts';
import { yearParam } from './assessment.schema.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { Problem } from './assessment.editor.check.ts';
import { problemText } from './assessment.editor.json.ts';

const assessors = ['admin', 'evaluator'] as const;

/** The indicator form's values: its fields as typed, the bands table's rows with two blank ones. */
function indicatorValues(ind: Indicator | undefined, area: string | undefined, version: number) {
  const computed = ind?.rule.type === 'computed' ? ind.rule : undefined;
  const bands = computed?.scoring.type === 'bands' ? computed.scoring.bands : [];
  return asValues({
    version,
    zh: ind?.name.zh,
    en: ind && ind.name.en !== ind.name.zh ? ind.name.en : '',
    area: ind?.area ?? area,
    points: ind?.points,
    side: ind?.side ?? 'both',
    scoring: ind ? (computed ? computed.scoring.type : 'judged') : 'ratio_to_target',
    measure: computed?.measure,
    ...Object.fromEntries(
      bands.flatMap((b, i) => [
        [`bandMin${i}`, b.min],
        [`bandPoints${i}`, b.points],
      ]),
    ),
  });
}

const bandRows = (values: Record<string, unknown>) => {
  const filled = Array.from({ length: BAND_ROWS }, (_, i) => i).filter((i) => values[`bandMin${i}`] || values[`bandPoints${i}`]);
  const n = Math.min(BAND_ROWS, Math.max(3, (filled.at(-1) ?? -1) + 3));
  return Array.from({ length: n }, (_, i) => ({ i, n: i + 1 }));
};

/** The framework page and the forms of its areas and indicators (grading, vetoes, JSON and reset: the more routes). */
export function frameworkEditorRoutes(db: Db): RouteDef[] {
  const t = (res: Response) => res.locals.t as Translate;

  /** The framework page's locals: the running check's problems in the reader's words. */
  const pageLocals = (req: Request, res: Response, y: number) => {
    const page = editorPage(db, req.user!, y, req.locale);
    const words = (ps: Problem[]) => ps.map((p) => problemText(p, t(res), req.locale));
    return {
      title: t(res)('assessment.framework', { year: y }),
      year: y,
      ...page,
      check: { errors: words(page.check.errors), warnings: words(page.check.warnings), ok: page.check.errors.length === 0 },
    };
  };

  /** @route GET /assessment/:year/framework — the five levels, the areas and indicators, the running check */
  function show(req: Request, res: Response) {
    res.render('assessment/framework', pageLocals(req, res, yearParam(req)));
  }

  const base = (req: Request, res: Response, y: number, doc: FrameworkDoc) => ({
    year: y,
    ...choices(doc, t(res), req.locale),
  });

  // ── areas ──
  const areaLocals = (req: Request, res: Response, y: number, key?: string) => {
    const fw = editable(db, req, y);
    const area = key === undefined ? undefined : fw.doc.content.areas.find((a) => a.key === key);
    if (key !== undefined && !area) throw new NotFoundError();
    return {
      ...base(req, res, y, fw.doc),
      title: area ? t(res)('framework.area.edit', { name: nameIn(area.name, req.locale) }) : t(res)('framework.area.new'),
      action: `/assessment/${y}/framework/areas${area ? `/${area.key}` : ''}`,
      isNew: !area,
      fwVersion: fw.version,
      initial: asValues({
        version: fw.version,
        zh: area?.name.zh,
        en: area && area.name.en !== area.name.zh ? area.name.en : '',
      }),
    };
  };

  /** @route GET /assessment/:year/framework/areas/new and /areas/:area — the area's form */
  function areaForm(req: Request, res: Response) {
    const y = yearParam(req);
    const key = req.params.area === undefined ? undefined : itemParam(req, 'area');
    const locals = areaLocals(req, res, y, key);
    res.render('assessment/framework-area', { ...locals, values: locals.initial });
  }

  /** @route POST /assessment/:year/framework/areas and /areas/:area — adds or renames an area */
  async function saveArea(req: Request, res: Response) {
    const y = yearParam(req);
    const key = req.params.area === undefined ? undefined : itemParam(req, 'area');
    await frameworkForm(req, res, {
      year: y,
      schema: AreaForm,
      view: 'assessment/framework-area',
      locals: () => areaLocals(req, res, y, key),
      run: (v) =>
        editFramework(db, req.user!, y, v.version, (doc) => (key ? edits.updateArea(doc, key, v) : edits.addArea(doc, v)), {
          area: key ?? v.key ?? '',
        }),
    });
  }

  // ── indicators ──
  const indicatorLocals = (req: Request, res: Response, y: number, key?: string) => {
    const fw = editable(db, req, y);
    const ind = key === undefined ? undefined : fw.doc.content.indicators.find((i) => i.key === key);
    if (key !== undefined && !ind) throw new NotFoundError();
    const area = typeof req.query.area === 'string' ? req.query.area : fw.doc.content.areas[0]?.key;
    const initial = indicatorValues(ind, area, fw.version);
    return {
      ...base(req, res, y, fw.doc),
      title: ind ? t(res)('framework.indicator.edit', { name: nameIn(ind.name, req.locale) }) : t(res)('framework.indicator.new'),
      action: `/assessment/${y}/framework/indicators${ind ? `/${ind.key}` : ''}`,
      isNew: !ind,
      initial,
      bandRows: bandRows(req.method === 'POST' ? (req.body as Record<string, unknown>) : initial),
    };
  };

  /** @route GET /assessment/:year/framework/indicators/new and /indicators/:indicator — the indicator's form */
  function indicatorForm(req: Request, res: Response) {
    const y = yearParam(req);
    const key = req.params.indicator === undefined ? undefined : itemParam(req, 'indicator');
    const locals = indicatorLocals(req, res, y, key);
    res.render('assessment/framework-indicator', { ...locals, values: locals.initial });
  }

  /** @route POST /assessment/:year/framework/indicators and /indicators/:indicator — adds or changes an indicator */
  async function saveIndicator(req: Request, res: Response) {
    const y = yearParam(req);
    const key = req.params.indicator === undefined ? undefined : itemParam(req, 'indicator');
    await frameworkForm(req, res, {
      year: y,
      schema: IndicatorForm,
      view: 'assessment/framework-indicator',
      locals: () => indicatorLocals(req, res, y, key),
      run: (v) =>
        editFramework(
          db,
          req.user!,
          y,
          v.version,
          (doc) => (key ? edits.updateIndicator(doc, key, v) : edits.addIndicator(doc, v)),
          { indicator: key ?? v.key ?? '' },
        ),
    });
  }

  // ── moves and removals, for both kinds of item ──
  const kinds = {
    areas: { param: 'area', move: edits.moveArea, remove: edits.removeArea, list: (d: FrameworkDoc) => d.content.areas },
    indicators: {
      param: 'indicator',
      move: edits.moveIndicator,
      remove: edits.removeIndicator,
      list: (d: FrameworkDoc) => d.content.indicators,
    },
  } as const;

  const move = (kind: keyof typeof kinds) =>
    /** @route POST /assessment/:year/framework/{areas|indicators}/:key/move — one place up or down */
    async function (req: Request, res: Response) {
      const y = yearParam(req);
      const key = itemParam(req, kinds[kind].param);
      await frameworkForm(req, res, {
        year: y,
        schema: MoveForm,
        view: 'assessment/framework',
        locals: () => pageLocals(req, res, y),
        run: (v) => editFramework(db, req.user!, y, v.version, (doc) => kinds[kind].move(doc, key, v.direction)),
        flash: 'framework.moved',
      });
    };

  const removeLocals = (req: Request, res: Response, kind: keyof typeof kinds) => {
    const y = yearParam(req);
    const key = itemParam(req, kinds[kind].param);
    const fw = editable(db, req, y);
    const item = (kinds[kind].list(fw.doc) as readonly { key: string; name: { zh: string; en: string } }[]).find(
      (x) => x.key === key,
    );
    if (!item) throw new NotFoundError();
    const name = nameIn(item.name, req.locale);
    return {
      year: y,
      title: t(res)(`framework.remove.${kind}`, { name }),
      text: t(res)(`framework.remove.${kind}.text`, { name }),
      action: `/assessment/${y}/framework/${kind}/${key}/remove`,
      button: t(res)('framework.remove.button'),
      values: { version: String(fw.version) },
    };
  };

  const removeForm = (kind: keyof typeof kinds) =>
    /** @route GET /assessment/:year/framework/{areas|indicators}/:key/remove — asks before removing */
    function (req: Request, res: Response) {
      res.render('assessment/framework-confirm', removeLocals(req, res, kind));
    };

  const remove = (kind: keyof typeof kinds) =>
    /** @route POST /assessment/:year/framework/{areas|indicators}/:key/remove */
    async function (req: Request, res: Response) {
      const y = yearParam(req);
      const key = itemParam(req, kinds[kind].param);
      await frameworkForm(req, res, {
        year: y,
        schema: VersionForm,
        view: 'assessment/framework-confirm',
        locals: () => removeLocals(req, res, kind),
        run: (v) => editFramework(db, req.user!, y, v.version, (doc) => kinds[kind].remove(doc, key)),
        flash: 'framework.removed',
      });
    };

  const fw = '/assessment/:year/framework';
  return [
    { method: 'get', path: fw, access: 'user', handler: show },
    { method: 'get', path: `${fw}/areas/new`, access: assessors, handler: areaForm },
    { method: 'post', path: `${fw}/areas`, access: assessors, handler: saveArea },
    { method: 'get', path: `${fw}/areas/:area`, access: assessors, handler: areaForm },
    { method: 'post', path: `${fw}/areas/:area`, access: assessors, handler: saveArea },
    { method: 'post', path: `${fw}/areas/:area/move`, access: assessors, handler: move('areas') },
    { method: 'get', path: `${fw}/areas/:area/remove`, access: assessors, handler: removeForm('areas') },
    { method: 'post', path: `${fw}/areas/:area/remove`, access: assessors, handler: remove('areas') },
    { method: 'get', path: `${fw}/indicators/new`, access: assessors, handler: indicatorForm },
    { method: 'post', path: `${fw}/indicators`, access: assessors, handler: saveIndicator },
    { method: 'get', path: `${fw}/indicators/:indicator`, access: assessors, handler: indicatorForm },
    { method: 'post', path: `${fw}/indicators/:indicator`, access: assessors, handler: saveIndicator },
    { method: 'post', path: `${fw}/indicators/:indicator/move`, access: assessors, handler: move('indicators') },
    { method: 'get', path: `${fw}/indicators/:indicator/remove`, access: assessors, handler: removeForm('indicators') },
    { method: 'post', path: `${fw}/indicators/:indicator/remove`, access: assessors, handler: remove('indicators') },
    ...frameworkMoreRoutes(db),
  ];
}
