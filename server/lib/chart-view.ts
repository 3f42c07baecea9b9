import type { Translate } from './i18n.ts';

/**
 * A chart as a page shows it (views/partials/chart.hbs): its caption (title and unit), the SVG, and
 * the table behind it, each header with its own unit where the columns differ.
 */
export interface ChartView {
  id: string;
  title: string;
  unit: string;
  /** Null when there is nothing to draw: the page says so instead. */
  svg: string | null;
  headers: { text: string; num: boolean }[];
  rows: { text: string; num: boolean }[][];
}

/** What a chart is drawn for: the language of its labels (and of the cache key) and the translator. */
export interface Reader {
  locale: string;
  t: Translate;
}

export const cell = (value: string | number, num = typeof value === 'number') => ({ text: String(value), num });

/** Breaks of a colour scale: `n` classes from 0 to the largest value, each bound two significant digits. */
export function classBreaks(max: number, n = 4): number[] {
  const nice = (v: number) => {
    if (v <= 0) return 0;
    const p = 10 ** (Math.floor(Math.log10(v)) - 1);
    return Math.round(v / p) * p;
  };
  const out = [0];
  for (let i = 1; i < n; i++) {
    const b = Number(nice((max * i) / n).toPrecision(2));
    if (b > out[out.length - 1]!) out.push(b);
  }
  return out;
}
