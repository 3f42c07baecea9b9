import type { Translate } from '../lib/i18n.ts';
import { barChartSvg } from '../lib/charts.ts';
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
