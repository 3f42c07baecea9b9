import type { FieldDef } from './fields.ts';
import type { Translate } from './i18n.ts';
import { formatMoney, moneyInputValue, type MoneyUnit } from './money.ts';

const intFormat = new Intl.NumberFormat('en-US');

/** How one stored value reads on a page: money in the chosen unit, enums translated, numbers grouped. */
export function displayValue(field: FieldDef, value: unknown, t: Translate, unit: MoneyUnit): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.type) {
    case 'money':
      return formatMoney(Number(value), unit);
    case 'int':
      return field.name === 'year' ? String(value) : intFormat.format(Number(value));
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
    partial: `input-${f.type === 'region' || f.type === 'id' ? 'text' : f.type}`,
    label: t(`field.${f.name}`),
    required: Boolean(f.required),
    help: f.type === 'money' ? t('money.help') : f.type === 'region' ? t('field.regionHelp') : undefined,
    options: f.type === 'enum' ? f.options.map((o) => ({ value: o, label: t(`enum.${f.enum}.${o}`) })) : [],
    max: 'max' in f ? f.max : undefined,
  }));
}
