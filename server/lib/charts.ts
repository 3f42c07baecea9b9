import type * as EChartsCore from 'echarts/core';
/**
 * Charts drawn on the server as SVG by Apache ECharts (`init(null, null, { renderer: 'svg', ssr:
 * true })`, `renderToSVGString()`, then `dispose()`): no script, no CDN, and they print. ECharts is
 * loaded on the first chart (`chartsReady`), not at start. Each chart has its title and unit; the
 * page puts the data behind it in a table beside it (a `<details>`), for screen readers and copying.
 */
type ECharts = typeof EChartsCore;
let echarts: ECharts | undefined;

/**
 * Loads ECharts once; a route awaits it before drawing (drawing itself is synchronous). Only the
 * parts drawn here are loaded — its core, bar, Sankey and scatter charts (the province tiles are
 * square symbols), the simple grid, the plain legend and the SVG renderer: 35 MB of memory, where
 * the whole of ECharts takes 86 MB (measured; Sankey and scatter add 1–4 MB of it).
 */
export async function chartsReady(): Promise<void> {
  if (echarts) return;
  const core = await import('echarts/core');
  await import('echarts/lib/chart/bar');
  await import('echarts/lib/chart/sankey');
  await import('echarts/lib/chart/scatter');
  await import('echarts/lib/component/gridSimple');
  await import('echarts/lib/component/legendPlain');
  const { SVGRenderer } = await import('echarts/renderers');
  core.use([SVGRenderer]);
  echarts = core;
}

/** Draws one option as an SVG document (ECharts escapes the text it writes), then frees the chart. */
export function drawSvg(option: Record<string, unknown>, size: { width: number; height: number }): string {
  if (!echarts) throw new Error('chartsReady() must be awaited before drawing');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: 'sans-serif', fontSize: 13 }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Money units of a chart, by the magnitude of its largest value. */
export type ChartMoneyUnit = 'yuan' | 'wan' | 'yi';
const FEN_PER: Record<ChartMoneyUnit, number> = { yuan: 100, wan: 1_000_000, yi: 10_000_000_000 };

/** The unit a chart of money reads best in: 亿元 from 1亿元, 万元 from 1万元, else 元. */
export function moneyScale(maxFen: number): { unit: ChartMoneyUnit; of: (fen: number) => number } {
  const unit: ChartMoneyUnit = maxFen >= FEN_PER.yi ? 'yi' : maxFen >= FEN_PER.wan ? 'wan' : 'yuan';
  // two decimals in the unit, computed on integers so a table's figure is the sum it says
  return { unit, of: (fen) => Math.round(fen / (FEN_PER[unit] / 100)) / 100 };
}

export interface BarChart {
  title: string;
  /** The unit of every value, shown on the axis (万元, 人). */
  unit: string;
  categories: string[];
  /** Each series with its values; a colour of its own where its meaning has one (grades). */
  series: { name: string; values: number[]; colour?: string }[];
  /** The series stacked into one bar per category (parts of one total). */
  stacked?: boolean;
  /** Bars along the categories listed down the side (long names, such as measures). */
  horizontal?: boolean;
}

const PALETTE = ['#b8232f', '#2b6cb0', '#d69e2e', '#2f855a', '#6b46c1'];

/**
 * A bar chart as an SVG document (its text escaped by ECharts). The title is the page's caption
 * above it (the figure is labelled by it); drawn 480 wide, it scales down to a phone's column
 * without its text shrinking much.
 */
export function barChartSvg(spec: BarChart, size = { width: 480, height: 280 }): string {
  const categoryAxis = { type: 'category', data: spec.categories, axisLabel: { fontSize: 13 } };
  const valueAxis = { type: 'value', name: spec.unit, nameTextStyle: { align: 'right' }, axisLabel: { fontSize: 12 } };
  return drawSvg(
    {
      // on the server ECharts guesses CJK text widths short: a wider gap keeps legend entries apart
      legend: { top: 0, itemGap: 28, textStyle: { fontSize: 13 } },
      grid: spec.horizontal ? { left: 8, right: 24, top: 56, bottom: 28 } : { left: 56, right: 12, top: 56, bottom: 28 },
      xAxis: spec.horizontal ? { ...valueAxis, nameTextStyle: { align: 'left' } } : categoryAxis,
      yAxis: spec.horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
      series: spec.series.map((s) => ({
        name: s.name,
        type: 'bar',
        data: s.values,
        ...(s.colour ? { itemStyle: { color: s.colour } } : {}),
        ...(spec.stacked ? { stack: 'total' } : {}),
      })),
    },
    size,
  );
}
