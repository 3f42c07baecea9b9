import type * as EChartsModule from 'echarts';
/**
 * Charts drawn on the server as SVG by Apache ECharts (`init(null, null, { renderer: 'svg', ssr:
 * true })`, `renderToSVGString()`, then `dispose()`): no script, no CDN, and they print. ECharts is
 * loaded on the first chart (`chartsReady`), not at start. Each chart has its title and unit; the
 * page puts the data behind it in a table beside it (a `<details>`), for screen readers and copying.
 */
type ECharts = typeof EChartsModule;
let echarts: ECharts | undefined;

/** Loads ECharts once; a route awaits it before drawing (drawing itself is synchronous). */
export async function chartsReady(): Promise<void> {
  echarts ??= await import('echarts');
}

export interface BarChart {
  title: string;
  /** The unit of every value, shown on the axis (万元, 人). */
  unit: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  /** The series stacked into one bar per category (parts of one total). */
  stacked?: boolean;
}

const PALETTE = ['#b8232f', '#2b6cb0', '#d69e2e', '#2f855a', '#6b46c1'];

/** A bar chart as an SVG document (its text escaped by ECharts). */
export function barChartSvg(spec: BarChart, size = { width: 640, height: 300 }): string {
  if (!echarts) throw new Error('chartsReady() must be awaited before drawing');
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, ...size });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'sans-serif' },
      title: { text: spec.title, left: 'left', textStyle: { fontSize: 14 } },
      legend: { bottom: 0 },
      grid: { left: 56, right: 16, top: 48, bottom: 48 },
      xAxis: { type: 'category', data: spec.categories },
      yAxis: { type: 'value', name: spec.unit },
      series: spec.series.map((s) => ({
        name: s.name,
        type: 'bar',
        data: s.values,
        ...(spec.stacked ? { stack: 'total' } : {}),
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
