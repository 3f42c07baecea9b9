import { scoreByAreaChart } from './assessment.charts.ts';
import { chartsReady } from '../lib/charts.ts';
import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { toCsv, toXlsx } from '../lib/csv.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { Translate } from '../lib/i18n.ts';
import type { RouteDef } from '../lib/routes.ts';
import type { PdfPool } from '../lib/pdf.ts';
import { keyParam, yearParam } from './assessment.schema.ts';
import { unitOf } from './assessment.present.ts';
import { scorecardPage } from './assessment.pages.ts';
import { areaNameOf } from './assessment.editor.check.ts';
import * as assessment from './assessment.service.ts';

/** Figures go out as numbers (a spreadsheet sums them), their unit in the column's header. */
const pct = (n: number | null) => (n === null ? '' : n);
const pts = (h: number | null) => (h === null ? '' : h / 100);
const withUnit = (t: Translate, label: string, unit: string) => `${label}（${t(`export.unit.${unit}`)}）`;
/** An indicator's value in its unit: money in 万元, counts and people as they are. */
const measured = (v: number | null | undefined, unit: string | null) =>
  v === null || v === undefined ? '' : unit === 'money' ? v / 1_000_000 : v;

/** The league table of a group as rows (header first): the same columns in CSV and XLSX. */
function leagueRows(group: assessment.GroupResult, t: Translate): (string | number)[][] {
  return [
    [
      t('league.rank'),
      t('league.object'),
      withUnit(t, t('league.total'), 'points'),
      withUnit(t, t('league.max'), 'points'),
      withUnit(t, t('league.percent'), 'percent'),
      t('league.grade'),
      t('league.previousRank'),
      t('league.vetoes'),
    ],
    ...group.objects.map((o) => [
      o.rank,
      o.name,
      pts(o.total),
      pts(o.max),
      pct(o.percent),
      t(`grade.${o.grade}`),
      o.previous?.rank ?? '',
      o.vetoes.map((v) => v.name).join('；'),
    ]),
    ['', t('league.average'), '', '', pct(group.average), '', '', ''],
  ];
}

function scorecardRows(
  object: assessment.ObjectResult,
  t: Translate,
  locale: string,
  areaName?: (key: string) => string | undefined,
): (string | number)[][] {
  return [
    [
      t('scorecard.indicator'),
      t('scorecard.area'),
      t('export.unit'),
      t('measures.value'),
      t('measures.target'),
      withUnit(t, t('measures.percent'), 'percent'),
      t('measures.previous'),
      withUnit(t, t('scorecard.score'), 'points'),
      withUnit(t, t('scorecard.max'), 'points'),
      t('scorecard.band'),
      t('scorecard.why'),
    ],
    ...object.indicators.map((i) => [
      locale === 'en' ? i.name.en : i.name.zh,
      areaName?.(i.area) ?? t(`area.${i.area}`),
      unitOf(i.measure) ? t(`export.unit.${unitOf(i.measure)}`) : '',
      measured(i.value, unitOf(i.measure)),
      measured(i.target, unitOf(i.measure)),
      pct(i.percentOfTarget),
      measured(i.previous, unitOf(i.measure)),
      i.notApplicable !== null ? t('scorecard.na') : pts(i.score),
      pts(i.max),
      i.band ? t(`band.${i.band}`) : '',
      t(i.why),
    ]),
    [
      t('scorecard.total'),
      '',
      '',
      '',
      '',
      object.percent,
      '',
      pts(object.total),
      pts(object.max),
      '',
      t(`grade.${object.grade}`),
    ],
  ];
}

function send(res: Response, format: string, name: string, rows: (string | number)[][]) {
  const file = encodeURIComponent(name);
  if (format === 'csv') {
    res
      .type('text/csv; charset=utf-8')
      .attachment(`${name}.csv`)
      .set('Content-Disposition', `attachment; filename*=UTF-8''${file}.csv`)
      .send(toCsv(rows));
    return Promise.resolve();
  }
  return toXlsx(rows).then((buffer) => {
    res
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .set('Content-Disposition', `attachment; filename*=UTF-8''${file}.xlsx`)
      .send(buffer);
  });
}

function formatParam(req: Request): 'csv' | 'xlsx' {
  const f = req.params.format;
  if (f !== 'csv' && f !== 'xlsx') throw new NotFoundError();
  return f;
}

export function exportRoutes(db: Db, pdfPrinter: PdfPool): RouteDef[] {
  /** @route GET /assessment/:year/league.:format?group=key — a group's league table as CSV or XLSX */
  async function league(req: Request, res: Response) {
    const y = yearParam(req);
    const { groups } = assessment.yearResults(db, req.user!, y);
    const group = groups.find((g) => g.key === req.query.group) ?? groups[0];
    if (!group) throw new NotFoundError();
    await send(res, formatParam(req), `${y}-${group.name}`, leagueRows(group, res.locals.t));
  }

  /** @route GET /assessment/:year/scorecards/:key/export.:format */
  async function scorecard(req: Request, res: Response) {
    const y = yearParam(req);
    const { object, framework } = assessment.scorecard(db, req.user!, y, keyParam(req));
    const areaName = areaNameOf(framework.doc, req.locale);
    await send(res, formatParam(req), `${y}-${object.name}`, scorecardRows(object, res.locals.t, req.locale, areaName));
  }

  /** @route GET /assessment/:year/scorecards/:key/pdf — the scorecard page printed by headless Chromium */
  async function pdf(req: Request, res: Response) {
    const y = yearParam(req);
    // the page as the reader sees it (its three columns and the objections' annex), without forms
    const found = scorecardPage(db, req.user!, y, keyParam(req), { t: res.locals.t, locale: req.locale, unit: req.moneyUnit });
    const areaName = areaNameOf(found.framework.doc, req.locale);
    await chartsReady();
    const areaChart = scoreByAreaChart(found.object, res.locals.t as Translate, req.locale, areaName);
    const html = await new Promise<string>((resolve, reject) =>
      res.render(
        'assessment/scorecard',
        { title: found.object.name, year: y, ...found, areaChart, printing: true },
        (err, out) => (err ? reject(err) : resolve(out)),
      ),
    );
    const buffer = await pdfPrinter.render(html);
    res
      .type('application/pdf')
      .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${y}-${found.object.name}`)}.pdf`)
      .send(buffer);
  }

  return [
    { method: 'get', path: '/assessment/:year/league.:format', access: 'user', handler: league },
    { method: 'get', path: '/assessment/:year/scorecards/:key/export.:format', access: 'user', handler: scorecard },
    { method: 'get', path: '/assessment/:year/scorecards/:key/pdf', access: 'user', handler: pdf },
  ];
}
