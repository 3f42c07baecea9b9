import type { FieldDef } from './fields.ts';
import type { Warning } from './errors.ts';
import type { Translate } from './i18n.ts';
import { formatMoney, group, moneyInputValue, type MoneyUnit } from './money.ts';

const intFormat = new Intl.NumberFormat('en-US');
/** As intFormat, without Intl for integers (the usual case; Intl took a micro-second a cell). */
const grouped = (n: number) =>
  Number.isSafeInteger(n) ? (n < 0 ? `-${group(String(-n))}` : group(String(n))) : intFormat.format(n);

/** A count grouped by thousands ("12,345"); empty for no value. The views' {{num}} helper. */
export function formatCount(n: unknown): string {
  return n === null || n === undefined || n === '' ? '' : grouped(Number(n));
}

/** A measure's value: money in the reader's unit, counts grouped; empty for no value. The views' {{measure}} helper. */
export function formatMeasure(value: unknown, unit: string, moneyUnit: MoneyUnit): string {
  if (value === null || value === undefined) return '';
  return unit === 'money' ? formatMoney(Number(value), moneyUnit) : grouped(Number(value));
}

/** ▲ / ▼ / ＝ for a change against the previous year (empty without one). The views' {{arrow}} helper. */
export function changeArrow(change: unknown): string {
  return change === null || change === undefined ? '' : Number(change) > 0 ? '▲' : Number(change) < 0 ? '▼' : '＝';
}

/** up / down / flat, for a change's CSS class (empty without one). The views' {{trend}} helper. */
export function changeTrend(change: unknown): string {
  return change === null || change === undefined ? '' : Number(change) > 0 ? 'up' : Number(change) < 0 ? 'down' : 'flat';
}

/** How one stored value reads on a page: money in the chosen unit, enums translated, numbers grouped. */
export function displayValue(field: FieldDef, value: unknown, t: Translate, unit: MoneyUnit): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'money':
      return formatMoney(Number(value), unit);
    case 'int':
      return /year$/i.test(field.name) ? String(value) : grouped(Number(value));
    case 'enum':
      return t(`enum.${field.enum}.${String(value)}`);
    default:
      return String(value);
  }
}

/** Values to put into a form for a stored row: money in the user's unit, exact. */
export function formValues(fields: readonly FieldDef[], row: Record<string, unknown>, unit: MoneyUnit): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of fields) {
    const v = row[f.name];
    if (f.type === 'money') {
      values[f.name] = v === null || v === undefined ? '' : moneyInputValue(Number(v), unit);
      values[`${f.name}Unit`] = unit;
    } else values[f.name] = v ?? '';
  }
  return values;
}

export interface FormField {
  name: string;
  type: FieldDef['type'];
  partial: string;
  label: string;
  required: boolean;
  help: string | undefined;
  options: { value: string; label: string }[];
  max: number | undefined;
}

/** Field descriptors ready for the generic form partials. */
export function formFieldsFor(fields: readonly FieldDef[], t: Translate): FormField[] {
  return fields.map((f) => ({
    name: f.name,
    type: f.type,
    partial: `input-${f.type === 'id' ? 'text' : f.type}`,
    label: t(`field.${f.name}`),
    required: Boolean(f.required),
    help: f.type === 'money' ? t('money.help') : f.type === 'region' ? t('field.regionHelp') : undefined,
    options: f.type === 'enum' ? f.options.map((o) => ({ value: o, label: t(`enum.${f.enum}.${o}`) })) : [],
    max: 'max' in f ? f.max : undefined,
  }));
}

/** Points kept as integer hundredths, shown with two decimals ('—' for none). */
export function formatHundredths(h: unknown): string {
  return h === null || h === undefined ? '—' : (Number(h) / 100).toFixed(2);
}

/** An indicator's value: money in the reader's unit, shares as %, counts grouped ('—' for none). */
export function formatIndicatorValue(value: unknown, unit: unknown, moneyUnit: MoneyUnit): string {
  if (value === null || value === undefined) return '—';
  if (unit === 'money') return formatMoney(Number(value), moneyUnit);
  if (unit === 'percent') return `${Number(value)}%`;
  return formatCount(value);
}

/** The name of an indicator's rule (its scoring type, or judged). */
export function ruleNameOf(rule: { type: string; scoring?: { type: string } }): string {
  return rule.type === 'judged' ? 'judged' : (rule.scoring?.type ?? '');
}

/** A move up, down or unchanged, as an arrow ('' for none). */
export function arrowOf(move: unknown): string {
  return move === 'up' ? '▲' : move === 'down' ? '▼' : move === 'same' ? '＝' : '';
}

const beijing = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** A moment in Beijing time, as 2024-06-15 16:00 ('' for none). */
export function formatDateTime(d: unknown): string {
  return d instanceof Date || typeof d === 'number' ? beijing.format(new Date(d)) : '';
}

/** A size in bytes as people read it, in steps of 1,024: 812 B, 3.5 KB, 12.4 MB, 1.2 GB. */
export function formatBytes(bytes: unknown): string {
  let n = Number(bytes);
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  for (const unit of ['KB', 'MB', 'GB']) {
    n /= 1024;
    if (n < 1023.95 || unit === 'GB') return `${n.toFixed(1)} ${unit}`;
  }
  return '';
}

/** A warning's text: its money parameters in the reader's unit with the unit's name. */
export function warningText(w: Warning, t: Translate, unit: MoneyUnit): string {
  const params: Record<string, string | number> = { ...w.params };
  for (const name of w.money ?? []) {
    const fen = w.params[name];
    if (typeof fen === 'number') params[name] = `${formatMoney(fen, unit)} ${t(`money.${unit}`)}`;
  }
  for (const [name, v] of Object.entries(params))
    if (typeof v === 'number' && !/year/i.test(name)) params[name] = v.toLocaleString('en-US');
  return t(w.key, params);
}
