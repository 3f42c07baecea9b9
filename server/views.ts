import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HelperOptions } from 'handlebars';
import type { Translate } from './lib/i18n.ts';
import { viewEngine as handlebarsEngine } from './lib/view-engine.ts';

import { formatMoney, type MoneyUnit } from './lib/money.ts';
import { changeArrow, changeTrend, formatCount, formatMeasure } from './lib/present.ts';

const intFormat = new Intl.NumberFormat('en-US');
const beijing = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

export const viewsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../views');

/** Handlebars helpers. None returns HTML: everything stays escaped by `{{ }}`. */
const helpers = {
  t(this: unknown, key: string, options: HelperOptions) {
    const t = (options.data as { root: { t: Translate } }).root.t;
    return t(key, options.hash as Record<string, unknown>);
  },
  eq: (a: unknown, b: unknown) =>
    a === b || (a !== null && b !== null && a !== undefined && b !== undefined && String(a) === String(b)),
  /** Fen in the reader's unit: {{money value}}. */
  money(fen: unknown, options: HelperOptions) {
    const unit = (options.data as { root: { moneyUnit: MoneyUnit } }).root.moneyUnit;
    return fen === null || fen === undefined ? '' : formatMoney(Number(fen), unit);
  },
  num: formatCount,
  /** A measure value: money in the reader's unit, counts grouped. */
  measure: (value: unknown, unit: string, options: HelperOptions) =>
    formatMeasure(value, unit, (options.data as { root: { moneyUnit: MoneyUnit } }).root.moneyUnit),
  /** ▲ / ▼ / = for a change against the previous year. */
  arrow: changeArrow,
  trend: changeTrend,
  /** Audit times in Beijing time, where the users are. */
  datetime: (d: unknown) => (d instanceof Date || typeof d === 'number' ? beijing.format(new Date(d)) : ''),
  json: (v: unknown) => (v === null || v === undefined ? '' : JSON.stringify(v)),
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  /** An object from the hash, to pass several values to a partial: (obj q=query role=role). */
  obj: (options: HelperOptions) => ({ ...(options.hash as Record<string, unknown>) }),
  /** A list page's link to another page, keeping its filters: {{pageHref params 3}}. */
  pageHref(params: unknown, page: number) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries((params ?? {}) as Record<string, unknown>)) {
      if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
    }
    query.set('page', String(page));
    return `?${query.toString()}`;
  },
  add: (a: number, b: number) => Number(a) + Number(b),
  gt: (a: number, b: number) => Number(a) > Number(b),
  lt: (a: number, b: number) => Number(a) < Number(b),
  includes: (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item),
  concat: (...args: unknown[]) => args.slice(0, -1).join(''),
  arr: (...args: unknown[]) => args.slice(0, -1),
  /** Points kept as integer hundredths, shown with two decimals. */
  hundredths: (h: unknown) => (h === null || h === undefined ? '—' : (Number(h) / 100).toFixed(2)),
  /** An indicator's value: money in the reader's unit, shares as %, counts grouped. */
  indicatorValue(value: unknown, unit: unknown, options: HelperOptions) {
    if (value === null || value === undefined) return '—';
    if (unit === 'money') return formatMoney(Number(value), (options.data as { root: { moneyUnit: MoneyUnit } }).root.moneyUnit);
    if (unit === 'percent') return `${Number(value)}%`;
    return intFormat.format(Number(value));
  },
  ruleName: (rule: { type: string; scoring?: { type: string } }) =>
    rule.type === 'judged' ? 'judged' : (rule.scoring?.type ?? ''),
  arrowOf: (move: unknown) => (move === 'up' ? '▲' : move === 'down' ? '▼' : move === 'same' ? '＝' : ''),
  startsWith: (s: unknown, prefix: string) => typeof s === 'string' && s.startsWith(prefix),
  /** The part of "record.funds" after the dot. */
  after: (s: unknown) => (typeof s === 'string' ? s.slice(s.indexOf('.') + 1) : ''),
  /** Builds a query string from the hash, dropping empty values: {{qs q=query page=2}}. */
  qs(options: HelperOptions) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.hash as Record<string, unknown>)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const s = params.toString();
    return s ? `?${s}` : '';
  },
};

export function viewEngine() {
  return handlebarsEngine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: resolve(viewsDir, 'layouts'),
    partialsDir: resolve(viewsDir, 'partials'),
    helpers,
  });
}
