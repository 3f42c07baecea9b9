import type { Translate } from '../lib/i18n.ts';
import type { FieldDef } from '../lib/fields.ts';
import type { MoneyUnit } from '../lib/money.ts';
import { displayValue } from '../lib/present.ts';
import { formFields, listableFields, type RecordKind } from './records.kinds.ts';
import type { listRecords } from './records.service.ts';

/*
 * A record kind's pages as their cells show them: labels, formatted values, badges.
 */

/** Label/value pairs of a record, in form order, for the detail page and conflict panels. */
/**
 * A record's fields as its page shows them; a region by its name with its code (`names`: full
 * names by code, recordRegionNames).
 */
export function describe(
  kind: RecordKind,
  row: Record<string, unknown>,
  t: Translate,
  unit: MoneyUnit,
  names: ReadonlyMap<string, string> = new Map(),
) {
  const fields = formFields(kind).map((f) => ({
    name: f.name,
    label: t(`field.${f.name}`),
    value: f.type === 'region' ? regionText(row[f.name], names) : displayValue(f, row[f.name], t, unit),
  }));
  const derived = (kind.derived?.(row) ?? []).map((d) => ({
    name: d.name,
    label: t(`field.${d.name}`),
    value: t(d.key, d.params),
  }));
  return [...fields, ...derived];
}

/** The columns of a kind's list, in the registry's order. */
export function listColumns(kind: RecordKind): FieldDef[] {
  const listable = listableFields(kind);
  return kind.listColumns.map((name) => listable.find((x) => x.name === name)!);
}

const numeric = (c: FieldDef) => c.type === 'money' || c.type === 'int';

export function listHeaders(columns: readonly FieldDef[], t: Translate, unit: MoneyUnit) {
  return columns.map((c) => {
    const label = t(`field.${c.name}`);
    const money = c.type === 'money';
    // a phone shows each row as a card, each value after its label (the unit with it, as in the header)
    return { label, numeric: numeric(c), money, cardLabel: money ? `${label}（${t(`money.${unit}`)}）` : label };
  });
}

/** A page of a kind's list: each record's cells, workflow states as badges. */
export function presentListRows(kind: RecordKind, items: ReturnType<typeof listRecords>['items'], t: Translate, unit: MoneyUnit) {
  const columns = listColumns(kind);
  const badges = new Set((kind.stateFields ?? []).map((x) => x.name));
  return items.map(({ record, pairing }) => ({
    id: record.id,
    date: record.date,
    pairing,
    pairingId: record.pairingId,
    cells: columns.map((c) => ({
      value: displayValue(c, (record as Record<string, unknown>)[c.name], t, unit),
      cls: numeric(c) ? 'num' : 'text',
      badge: badges.has(c.name) ? `${c.name}-${String((record as Record<string, unknown>)[c.name])}` : undefined,
    })),
  }));
}

/** A region as pages and picker fields show it: 青海省 海南藏族自治州 共和县（632521）; a code without a name stays a code. */
export function regionText(code: unknown, names: ReadonlyMap<string, string>): string {
  if (typeof code !== 'string' || code === '') return '';
  const name = names.get(code);
  return name ? `${name}（${code}）` : code;
}

/** A kind's region fields, by name (their forms' pickers read them). */
export const regionFieldNames = (kind: RecordKind): string[] =>
  formFields(kind)
    .filter((f) => f.type === 'region')
    .map((f) => f.name);

/** The region codes a record's fields hold. */
export function regionCodesOf(kind: RecordKind, row: Record<string, unknown>): string[] {
  return regionFieldNames(kind)
    .map((name) => row[name])
    .filter((v): v is string => typeof v === 'string' && v !== '');
}
