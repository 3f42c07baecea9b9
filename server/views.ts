import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars, { type HelperOptions } from 'handlebars';
import { DEFAULT_LOCALE, isLocale, translator, type Translate } from './lib/i18n.ts';
import { viewEngine as handlebarsEngine } from './lib/view-engine.ts';

import { formatMoney, type MoneyUnit } from './lib/money.ts';
import {
  arrowOf,
  formatBytes,
  formatDateTime,
  changeArrow,
  changeTrend,
  formatCount,
  formatHundredths,
  formatIndicatorValue,
  formatMeasure,
  ruleNameOf,
} from './lib/present.ts';

export const viewsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../views');

/** Handlebars helpers. None returns HTML but `kept`, which returns its own block's escaped output. */
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
  datetime: formatDateTime,
  /** A size in bytes: {{bytes 13000000}} → 12.4 MB. */
  bytes: formatBytes,
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
  hundredths: formatHundredths,
  /** An indicator's value: money in the reader's unit, shares as %, counts grouped. */
  indicatorValue: (value: unknown, unit: unknown, options: HelperOptions) =>
    formatIndicatorValue(value, unit, (options.data as { root: { moneyUnit: MoneyUnit } }).root.moneyUnit),
  ruleName: ruleNameOf,
  arrowOf,
  startsWith: (s: unknown, prefix: string) => typeof s === 'string' && s.startsWith(prefix),
  /**
   * A block rendered once and kept: {{#kept key}}…{{/kept}}. The page's locals give `keep`
   * (key, render) → html, which keeps it as long as what it shows is unchanged (a data version);
   * the key names everything the block reads, and the language and money unit are added here.
   * The block is rendered by Handlebars, escaped as everywhere: the kept text is its own output.
   * Without `keep` (or a key) the block is simply rendered. Never wrap per-user parts (CSRF tokens).
   */
  kept(this: unknown, key: unknown, options: HelperOptions) {
    const root = (
      options.data as { root: { keep?: (key: string, render: () => string) => string; locale?: string; moneyUnit?: string } }
    ).root;
    if (!root.keep || typeof key !== 'string' || key === '') return options.fn(this);
    return new Handlebars.SafeString(root.keep(`${root.locale ?? ''}|${root.moneyUnit ?? ''}|${key}`, () => options.fn(this)));
  },
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
    // what helpers.t prints for a key without parameters
    labels: { helper: 't', label: (locale, key) => translator(isLocale(locale) ? locale : DEFAULT_LOCALE)(key, {}) },
  });
}
