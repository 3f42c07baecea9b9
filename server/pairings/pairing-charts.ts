import type { Translate } from '../lib/i18n.ts';
import { barChartSvg } from '../lib/charts.ts';
import { cell, type ChartView } from '../lib/chart-view.ts';
import type { MoneyUnit } from '../lib/money.ts';
import { formatMeasure } from '../lib/present.ts';
import type { pairingPage } from './pairing-page.service.ts';

const wan = (fen: number) => Math.round(fen / 100) / 10_000;

/**
 * The pairing's funds by year, fiscal and social stacked (万元), and the table behind the chart.
 * Drawn from the page's own yearly totals (pairing-page.service.ts): the chart and its table say
 * the same as the 历年情况 table.
 */
export function fundsByYearChart(page: ReturnType<typeof pairingPage>, t: Translate) {
  const years = [...page.trend].sort((a, b) => a.year - b.year);
  const rows = years.map((y) => ({ year: y.year, fiscal: wan(y.fiscalFunds), social: wan(y.socialFunds) }));
  const title = t('charts.fundsByYear');
  const unit = t('money.wan');
  const svg = barChartSvg({
    title,
    unit,
    categories: rows.map((r) => String(r.year)),
    series: [
      { name: t('charts.fiscal'), values: rows.map((r) => r.fiscal) },
      { name: t('charts.social'), values: rows.map((r) => r.social) },
    ],
    stacked: true,
  });
  return { title, unit, svg, rows, fiscalLabel: t('measure.fiscalFunds'), socialLabel: t('measure.socialFunds') };
}

/**
 * Agreement completion of the page's year: each measure the year's agreement sets a target for,
 * its actual against the target in %. The measures, their roll-ups, targets and percentages are
 * the page's own (pairing-page.service.ts, after records.measures.ts's MEASURES): nothing restated.
 */
export function agreementCompletionChart(page: ReturnType<typeof pairingPage>, t: Translate, moneyUnit: MoneyUnit): ChartView {
  const targeted = page.measures.filter((m) => m.target !== null && m.target > 0);
  const title = t('charts.completion', { year: page.year });
  const unit = t('charts.unit.percent');
  const money = t(`money.${moneyUnit}`);
  const label = (m: (typeof targeted)[number]) => t(`measure.${m.key}`) + (m.unit === 'money' ? `（${money}）` : '');
  const value = (m: (typeof targeted)[number], v: number) => formatMeasure(v, m.unit, moneyUnit);
  return {
    id: 'completion',
    title,
    unit,
    svg:
      targeted.length === 0
        ? null
        : barChartSvg(
            {
              title,
              unit,
              categories: targeted.map((m) => t(`measure.${m.key}`)),
              series: [{ name: t('charts.percent'), values: targeted.map((m) => m.percent ?? 0) }],
              horizontal: true,
            },
            { width: 480, height: 80 + 36 * targeted.length },
          ),
    headers: [
      cell(t('charts.measureName'), false),
      cell(t('charts.actual'), true),
      cell(t('charts.target'), true),
      cell(`${t('charts.percent')}（%）`, true),
    ],
    rows: targeted.map((m) => [
      cell(label(m), false),
      cell(value(m, m.value), true),
      cell(value(m, m.target!), true),
      cell(m.percent ?? 0),
    ]),
  };
}
