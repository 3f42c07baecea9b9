import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { barChartSvg, moneyScale } from '../lib/charts.ts';
import { sankeySvg, tileMapSvg } from '../lib/charts-flows.ts';
import { CHINA_TILES } from '../lib/china-tiles.ts';
import { remember } from '../lib/data-version.ts';
import { scopePrefixOf } from '../pairings/pairings.service.ts';
import { regionNames } from '../regions/regions.service.ts';
import { classBreaks, cell, type ChartView, type Reader } from '../lib/chart-view.ts';
import { FLOW_MEASURES, flowsBetweenProvinces, sumsByYear, type FlowMeasure } from './charts.queries.ts';

/**
 * The charts above the domains: funds by year for a region or the country, the east → west Sankey
 * between provinces and the province tile map. Scope is the query's: a scoped actor's charts read
 * only the pairings with a side in its region (charts.queries.ts); a national actor may narrow them
 * to one province. Every aggregate and every drawing is kept per data version and language.
 */

/** The first year charts look back to: the programme began in 1996. */
export const FIRST_YEAR = 1996;

export interface ChartScope {
  /** A region code prefix; null for the whole country. */
  prefix: string | null;
  /** The region's name, or null for the whole country. */
  name: string | null;
}

/**
 * Where an actor's charts look: its own region when it has one (whatever it asks), else the
 * province asked for (a six-digit code), else the country.
 */
export function chartScope(db: Db, actor: Actor, province?: string): ChartScope {
  const own = scopePrefixOf(actor);
  const prefix = own ?? (province ? province.slice(0, 2) : null);
  if (prefix === null) return { prefix: null, name: null };
  const code = prefix.length <= 6 ? prefix.padEnd(6, '0') : prefix;
  return { prefix, name: regionNames(db, [code]).get(code) ?? null };
}

const unitLabel = (r: Reader, unit: 'money' | 'people', maxFen: number) =>
  unit === 'people' ? r.t('charts.unit.people') : r.t(`charts.unit.${moneyScale(maxFen).unit}`);

/** Funds by year (fiscal and social stacked) in a scope, up to `lastYear`. */
export function fundsByYearChart(db: Db, scope: ChartScope, lastYear: number, r: Reader): ChartView {
  return remember(db, `chart years ${scope.prefix ?? '*'} ${lastYear} ${r.locale}`, () => {
    const years = sumsByYear(db, 'funds', FIRST_YEAR, lastYear, scope.prefix);
    const max = Math.max(0, ...years.map((y) => y.values[0]! + y.values[1]!));
    const scale = moneyScale(max);
    const unit = unitLabel(r, 'money', max);
    const fiscal = r.t('charts.fiscal');
    const social = r.t('charts.social');
    const title = r.t('charts.fundsByYearOf', { region: scope.name ?? r.t('charts.country') });
    const rows = years.map((y) => [cell(String(y.year), false), cell(scale.of(y.values[0]!)), cell(scale.of(y.values[1]!))]);
    return {
      id: 'years',
      title,
      unit,
      svg:
        years.length === 0
          ? null
          : barChartSvg({
              title,
              unit,
              categories: years.map((y) => String(y.year)),
              series: [
                { name: fiscal, values: years.map((y) => scale.of(y.values[0]!)) },
                { name: social, values: years.map((y) => scale.of(y.values[1]!)) },
              ],
              stacked: true,
            }),
      headers: [cell(r.t('field.year'), false), cell(`${fiscal}（${unit}）`, true), cell(`${social}（${unit}）`, true)],
      rows,
    };
  });
}

/** A year's flows with the provinces' names, and the unit they read in. */
function namedFlows(db: Db, measure: FlowMeasure, year: number, scope: ChartScope, r: Reader) {
  const flows = flowsBetweenProvinces(db, measure, year, scope.prefix);
  const names = regionNames(db, [...new Set(flows.flatMap((f) => [f.from, f.to]))]);
  const total = (f: { values: number[] }) => f.values.reduce((n, v) => n + v, 0);
  const spec = FLOW_MEASURES[measure];
  const max = Math.max(0, ...flows.map(total));
  const of = spec.unit === 'money' ? moneyScale(max).of : (v: number) => v;
  return { flows, names, total, of, unit: unitLabel(r, spec.unit, max) };
}

/** The east → west Sankey of a year: funds (fiscal and social) or people sent, between provinces. */
export function sankeyChart(db: Db, scope: ChartScope, year: number, measure: FlowMeasure, r: Reader): ChartView {
  return remember(db, `chart sankey ${measure} ${year} ${scope.prefix ?? '*'} ${r.locale}`, () => {
    const { flows, names, total, of, unit } = namedFlows(db, measure, year, scope, r);
    // a province's records with itself are no flow between provinces (and a Sankey refuses loops)
    const between = flows.filter((f) => f.from !== f.to && total(f) > 0).sort((a, b) => total(b) - total(a));
    const name = (code: string) => names.get(code) ?? code;
    const parts = FLOW_MEASURES[measure].sums.map((k) => r.t(`charts.part.${k}`));
    const title = r.t(`charts.sankey.${measure}`, { year, region: scope.name ?? r.t('charts.country') });
    return {
      id: 'sankey',
      title,
      unit,
      svg:
        between.length === 0
          ? null
          : sankeySvg({
              sources: [...new Set(between.map((f) => f.from))].map((c) => ({ id: `from ${c}`, label: name(c) })),
              targets: [...new Set(between.map((f) => f.to))].map((c) => ({ id: `to ${c}`, label: name(c) })),
              links: between.map((f) => ({ source: `from ${f.from}`, target: `to ${f.to}`, value: of(total(f)) })),
            }),
      headers: [
        cell(r.t('charts.assisting'), false),
        cell(r.t('charts.assisted'), false),
        ...parts.map((p) => cell(`${p}（${unit}）`, true)),
        cell(`${r.t('charts.total')}（${unit}）`, true),
      ],
      rows: between.map((f) => [
        cell(name(f.from), false),
        cell(name(f.to), false),
        ...f.values.map((v) => cell(of(v))),
        cell(of(total(f))),
      ]),
    };
  });
}

/** The province tile map of a year: each province coloured by the funds it sent or received. */
export function tileMapChart(db: Db, scope: ChartScope, year: number, r: Reader): ChartView {
  return remember(db, `chart tiles ${year} ${scope.prefix ?? '*'} ${r.locale}`, () => {
    const { flows, names, total } = namedFlows(db, 'funds', year, scope, r);
    const byProvince = new Map<string, { sent: number; received: number }>();
    const at = (code: string) => byProvince.get(code) ?? byProvince.set(code, { sent: 0, received: 0 }).get(code)!;
    for (const f of flows) {
      at(f.from).sent += total(f);
      at(f.to).received += total(f);
    }
    const sums = [...byProvince].map(([code, v]) => ({ code, ...v, both: v.sent + v.received }));
    sums.sort((a, b) => b.both - a.both);
    const max = Math.max(0, ...sums.map((s) => s.both));
    const scale = moneyScale(max);
    const unit = unitLabel(r, 'money', max);
    const breaks = classBreaks(scale.of(max));
    const title = r.t('charts.tiles', { year, region: scope.name ?? r.t('charts.country') });
    const label = (i: number) =>
      i === breaks.length - 1 ? `≥ ${breaks[i]}` : `${i === 0 ? '> 0' : breaks[i]} – ${breaks[i + 1]}`;
    return {
      id: 'tiles',
      title,
      unit,
      svg:
        sums.length === 0
          ? null
          : tileMapSvg({
              tiles: new Map(sums.map((s) => [s.code, { value: scale.of(s.both), named: true }])),
              classes: breaks.map((from, i) => ({ from, label: label(i) })),
              noneLabel: r.t('charts.noData'),
              // a region's reader sees only the provinces of its own pairings named
              nameEmpty: scope.prefix === null,
            }),
      headers: [
        cell(r.t('charts.province'), false),
        cell(`${r.t('charts.sent')}（${unit}）`, true),
        cell(`${r.t('charts.received')}（${unit}）`, true),
        cell(`${r.t('charts.total')}（${unit}）`, true),
      ],
      rows: sums.map((s) => [
        cell(names.get(s.code) ?? s.code, false),
        cell(scale.of(s.sent)),
        cell(scale.of(s.received)),
        cell(scale.of(s.both)),
      ]),
    };
  });
}

/** The charts page: a year (default: the latest with funds) and, for a national reader, a province. */
export function chartsPage(
  db: Db,
  actor: Actor,
  query: { year?: number; province?: string; measure?: FlowMeasure },
  currentYear: number,
  r: Reader,
) {
  const scope = chartScope(db, actor, query.province);
  const years = sumsByYear(db, 'funds', FIRST_YEAR, currentYear, scope.prefix).map((y) => y.year);
  const year = query.year ?? years[years.length - 1] ?? currentYear;
  const measure = query.measure ?? 'funds';
  return {
    scope,
    year,
    measure,
    years: years.includes(year) ? [...years].reverse() : [year, ...[...years].reverse()],
    measures: Object.keys(FLOW_MEASURES) as FlowMeasure[],
    // a national reader may narrow the charts to a province; a region's reader sees its own
    provinces: scopePrefixOf(actor) === null ? provinceChoices(db) : [],
    charts: [
      fundsByYearChart(db, scope, currentYear, r),
      sankeyChart(db, scope, year, measure, r),
      tileMapChart(db, scope, year, r),
    ],
  };
}

/** The 31 provinces by name, for the province filter (kept while the structure stands). */
function provinceChoices(db: Db) {
  return remember(
    db,
    'chart provinces',
    () => {
      const codes = CHINA_TILES.map((t) => t.code);
      const names = regionNames(db, codes);
      return codes.map((code) => ({ code, name: names.get(code) ?? code })).sort((a, b) => a.code.localeCompare(b.code));
    },
    'structure',
  );
}

/*
 * For other pages (the home pages): each of the actor's charts alone, in its scope (its own region,
 * else the country). Await lib/charts.ts's chartsReady() before calling; render with the `chart`
 * partial. Each is kept per data version and language.
 */

/** Funds by year (fiscal and social) of the actor's region or the country, up to `lastYear`. */
export function provinceFundsChart(db: Db, actor: Actor, lastYear: number, r: Reader): ChartView {
  return fundsByYearChart(db, chartScope(db, actor), lastYear, r);
}

/** The east → west Sankey of a year within the actor's region or the country. */
export function provinceSankeyChart(db: Db, actor: Actor, year: number, r: Reader, measure: FlowMeasure = 'funds'): ChartView {
  return sankeyChart(db, chartScope(db, actor), year, measure, r);
}

/** The province tiles of a year's funds within the actor's region or the country. */
export function provinceTilesChart(db: Db, actor: Actor, year: number, r: Reader): ChartView {
  return tileMapChart(db, chartScope(db, actor), year, r);
}
