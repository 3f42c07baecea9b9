import { sides } from '../../db/schema/index.ts';
import type { FieldDef } from '../lib/fields.ts';
import { translator } from '../lib/i18n.ts';
import type { MoneyUnit } from '../lib/money.ts';
import type { SheetKind } from './exchange.sheets.ts';

/**
 * The columns of a sheet (a record kind's, the agreements'; exchange.sheets.ts): the same file is the
 * template, the export and the import. Row 1 holds the Chinese labels (money with its unit in
 * brackets), row 2 the English keys; an import matches columns by the keys when row 2 holds them,
 * else by the labels.
 */
export type ColumnRole = 'id' | 'pairing' | 'assisting' | 'assisted' | 'side' | 'field' | 'state' | 'info' | 'error';

export interface Column {
  key: string;
  label: string;
  role: ColumnRole;
  field?: FieldDef;
  /** For money: the unit the column's numbers are in. */
  unit?: MoneyUnit;
  /** Read on export only (a transfer's confirmation is the other side's act, not an import's). */
  readOnly?: boolean;
  required?: boolean;
}

/** Files are Chinese whatever the page's language: the offices' spreadsheets are. */
const zh = translator('zh-CN');
export const UNIT_LABEL: Record<MoneyUnit, string> = { yuan: '元', wan: '万元' };
/** The column an error copy adds; ignored when the fixed file comes back. */
export const ERROR_COLUMN: Column = { key: '_error', label: '错误', role: 'error' };

/**
 * The columns of an export: a kind's columns with each region's name beside its code (read-only:
 * an import ignores them, the code decides).
 */
export function exportColumns(sheet: SheetKind, unit: MoneyUnit = 'wan'): Column[] {
  return columnsOf(sheet, unit).flatMap((c) =>
    c.role === 'assisting' || c.role === 'assisted' || c.field?.type === 'region'
      ? [
          c,
          {
            key: `${c.field?.name ?? c.key}Name`,
            label: `${c.label.replace(/代码$/, '')}名称`,
            role: 'info' as const,
            readOnly: true,
          },
        ]
      : [c],
  );
}

/** The columns of a kind, money in the given unit. */
export function columnsOf(sheet: SheetKind, unit: MoneyUnit = 'wan'): Column[] {
  const own = sheet.fields.map((field): Column => {
    const label = zh(`field.${field.name}`);
    return field.type === 'money'
      ? {
          key: `${field.name}:${unit}`,
          label: `${label}（${UNIT_LABEL[unit]}）`,
          role: 'field',
          field,
          unit,
          required: !!field.required,
        }
      : { key: field.name, label, role: 'field', field, required: !!field.required };
  });
  const state = sheet.state.map((field): Column => ({
    key: field.name,
    label: zh(`field.${field.name}`),
    role: 'state',
    field,
    readOnly: true,
  }));
  return [...sheet.fixed, ...own, ...state];
}

export type HeaderProblem =
  | { key: 'import.header.duplicate'; params: { label: string; columns: string } }
  | { key: 'import.header.unknown'; params: { label: string; column: string } }
  | { key: 'import.header.missing'; params: { labels: string } }
  | { key: 'import.header.noPairing' };

/** The column letters of a spreadsheet: A … Z, AA … */
export function columnLetter(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const normal = (text: string) => text.replace(/\s+/g, '').replace(/[()]/g, (c) => (c === '(' ? '（' : '）'));

/** A header cell's column: by key (`committedFen:wan`) or by label (`协议/承诺金额（万元）`). */
/** A row-number column, common in office spreadsheets: read as a column of its own and ignored. */
const ROW_NUMBER: Column = { key: '_no', label: '序号', role: 'info', readOnly: true };

function match(sheet: SheetKind, text: string, byKey: boolean): Column | undefined {
  if (text === ERROR_COLUMN.key || text === ERROR_COLUMN.label) return ERROR_COLUMN;
  if (text === ROW_NUMBER.key || text === ROW_NUMBER.label) return ROW_NUMBER;
  for (const unit of ['wan', 'yuan'] as const) {
    const found = exportColumns(sheet, unit).find((c) => (byKey ? c.key === text : normal(c.label) === normal(text)));
    if (found) return found;
  }
  return undefined;
}

/** Whether a row names any column (a title row above the header names none). */
export function namesAnyColumn(sheet: SheetKind, cells: readonly string[]): boolean {
  return cells.some((c) => c.trim() !== '' && (match(sheet, c.trim(), false) ?? match(sheet, c.trim(), true)) !== undefined);
}

/** Whether row 2 is the key row (every filled cell a known key), so data starts at row 3. */
export function isKeyRow(sheet: SheetKind, cells: readonly string[]): boolean {
  const filled = cells.filter((c) => c.trim() !== '');
  return filled.length > 0 && filled.every((c) => match(sheet, c.trim(), true) !== undefined);
}

/**
 * Maps each header cell to its column. Every problem is reported: a duplicate, an unknown header,
 * a required column missing, no way to name the pairing.
 */
export function mapHeader(
  sheet: SheetKind,
  labels: readonly string[],
  keys: readonly string[] | undefined,
): { columns: (Column | undefined)[]; problems: HeaderProblem[] } {
  const problems: HeaderProblem[] = [];
  const source = keys ?? labels;
  const columns = source.map((raw, i) => {
    const text = raw.trim();
    if (text === '') return undefined;
    const column = match(sheet, text, keys !== undefined);
    if (!column) problems.push({ key: 'import.header.unknown', params: { label: labels[i] || text, column: columnLetter(i) } });
    return column;
  });
  const seen = new Map<string, number[]>();
  columns.forEach((c, i) => c && seen.set(c.field?.name ?? c.key, [...(seen.get(c.field?.name ?? c.key) ?? []), i]));
  for (const at of seen.values()) {
    if (at.length > 1) {
      const label = columns[at[0]!]!.label;
      problems.push({ key: 'import.header.duplicate', params: { label, columns: at.map(columnLetter).join('、') } });
    }
  }
  const present = new Set(columns.flatMap((c) => (c ? [c.field?.name ?? c.key] : [])));
  const missing = columnsOf(sheet).filter((c) => c.required && !present.has(c.field!.name));
  if (missing.length > 0)
    problems.push({ key: 'import.header.missing', params: { labels: missing.map((c) => c.label).join('、') } });
  if (sheet.needsPairing && !present.has('pairing') && !(present.has('assisting') && present.has('assisted')))
    problems.push({ key: 'import.header.noPairing' });
  return { columns, problems };
}

/** What each column means and an example, for the template's notes sheet. */
export function columnNotes(sheet: SheetKind): { label: string; key: string; note: string; example: string }[] {
  return columnsOf(sheet).map((c) => ({ label: c.label, key: c.key, note: noteOf(c), example: exampleOf(c) }));
}

const EXAMPLES: Record<string, string> = {
  assisting: '江苏省/苏州市/昆山市',
  assisted: '陕西省/商洛市/镇安县',
  year: '2024',
  date: '2024-06-01',
  ref: 'KS-2024-001',
  purpose: '镇安县中学教学楼',
  hostUnit: '镇安县人民医院',
  name: '冷链仓储中心',
  enterprise: '昆山某食品有限公司',
  sector: '农产品加工',
  products: '核桃、板栗',
  channel: '工会采购',
};

function exampleOf(c: Column): string {
  if (EXAMPLES[c.key] !== undefined) return EXAMPLES[c.key]!;
  const f = c.field;
  if (!f) return c.role === 'pairing' ? '128' : '';
  switch (f.type) {
    case 'money':
      return c.unit === 'wan' ? '50' : '500000';
    case 'date':
      return '2024-06-01';
    case 'int':
      return '3';
    case 'enum':
      return zh(`enum.${f.enum}.${f.options[0]}`);
    case 'region':
      return '陕西省/商洛市/镇安县';
    default:
      return EXAMPLES[f.name] ?? '';
  }
}

function noteOf(c: Column): string {
  switch (c.role) {
    case 'id':
      return '平台上记录的编号。填写则更新该记录；留空则按“台账编号”匹配，没有匹配时新增。';
    case 'pairing':
      return '结对关系在平台上的编号（结对页面地址中的数字）。可留空，改填帮扶方和受援方；县以下结对（学校、医院、村等）须填写编号。';
    case 'assisting':
    case 'assisted':
      return '行政区划代码（如 320583），或名称路径（如 江苏省/苏州市/昆山市），或唯一的县名。';
    case 'side':
      return `${sides.map((s) => zh(`side.${s}`)).join(' 或 ')}；只有能代表两方录入的用户需要填写，留空即为本方。`;
    case 'state':
      return '仅导出时填写，由另一方确认；导入时忽略。';
    case 'info':
      return '仅导出时填写，便于阅读；导入时忽略，以代码为准。';
    case 'error':
      return '';
    case 'field':
      return fieldNote(c);
  }
}

function fieldNote(c: Column): string {
  const f = c.field!;
  const need = f.required ? '必填。' : '选填。';
  switch (f.type) {
    case 'money':
      return `${need}金额，单位为${UNIT_LABEL[c.unit!]}，最多 ${c.unit === 'wan' ? 6 : 2} 位小数。`;
    case 'date':
      return `${need}日期，如 2024-06-01、2024/6/1 或 Excel 日期。`;
    case 'int':
      return `${need}整数。`;
    case 'enum':
      return `${need}可填：${f.options.map((o) => zh(`enum.${f.enum}.${o}`)).join('、')}。`;
    case 'region':
      return `${need}行政区划代码，或名称路径（如 陕西省/商洛市/镇安县），或唯一的名称。`;
    case 'id':
      return `${need}平台上的编号。`;
    default:
      return `${need}文字，最多 ${f.max} 字。`;
  }
}
