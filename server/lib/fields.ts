import { z } from 'zod';
import { isMoneyUnit, parseMoney, plainNumber } from './money.ts';
import { form } from './validation.ts';

/**
 * Field descriptors: one list per record kind drives its zod schema, its form, its list columns
 * and its detail page, so a kind is declared once. Labels are i18n keys `field.<name>`; enum
 * options are `enum.<enum>.<value>`.
 */
export type FieldDef =
  | { name: string; type: 'text' | 'textarea'; max: number; required?: boolean }
  | { name: string; type: 'int'; min?: number; max?: number; required?: boolean }
  | { name: string; type: 'money'; required?: boolean }
  | { name: string; type: 'date'; required?: boolean }
  | { name: string; type: 'enum'; options: readonly string[]; enum: string; required?: boolean }
  | { name: string; type: 'region'; required?: boolean }
  | { name: string; type: 'id'; required?: boolean };

const blank = (v: unknown) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v);

/** Days in each month of a year (February by the Gregorian rule). */
const daysIn = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

const isoDate = z.string().refine((s) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}, 'validation.date');

const MONEY_ERRORS = {
  invalid: 'validation.money',
  negative: 'validation.moneyNegative',
  tooPrecise: 'validation.moneyPrecision',
  tooLarge: 'validation.moneyTooLarge',
  grouping: 'validation.numberGrouping',
} as const;

/** A money field arrives as its text and its unit (元 or 万元); it leaves as integer fen. */
const money = z.object({ text: z.string().optional(), unit: z.string().optional() }).transform((v, ctx) => {
  if (v.text === undefined || v.text.trim() === '') return undefined;
  const parsed = parseMoney(v.text, isMoneyUnit(v.unit) ? v.unit : 'yuan');
  if (parsed.ok) return parsed.fen;
  const params = parsed.error === 'grouping' ? { typed: v.text.trim(), plain: parsed.plain } : undefined;
  ctx.addIssue({ code: 'custom', message: MONEY_ERRORS[parsed.error], ...(params ? { params } : {}) });
  return z.NEVER;
});

/** A whole number as typed: its separators checked like an amount's ("1,234" people, not "1,23"). */
const wholeNumberText = (v: unknown, ctx: z.core.$RefinementCtx) => {
  if (typeof v !== 'string') return v;
  const plain = plainNumber(v);
  if (plain.ok) return plain.text;
  ctx.addIssue({ code: 'custom', message: 'validation.numberGrouping', params: { typed: v.trim(), plain: plain.plain } });
  return z.NEVER;
};

function fieldSchema(f: FieldDef): z.ZodType {
  let base: z.ZodType;
  switch (f.type) {
    case 'text':
    case 'textarea':
      return f.required ? form.text(f.max) : form.optionalText(f.max);
    case 'int': {
      const n = z.coerce
        .number({ error: 'validation.integer' })
        .int('validation.integer')
        .min(f.min ?? 0, f.min ? 'validation.tooSmallNumber' : 'validation.notNegative')
        .max(f.max ?? 10_000_000, 'validation.tooLargeNumber');
      base = z.preprocess((v, ctx) => wholeNumberText(blank(v), ctx), f.required ? n : n.optional());
      return base;
    }
    case 'money':
      return f.required ? money.refine((v) => v !== undefined, 'validation.required') : money;
    case 'date':
      return z.preprocess(blank, f.required ? isoDate : isoDate.optional());
    case 'enum': {
      const e = z.enum(f.options as [string, ...string[]], { error: 'validation.invalidChoice' });
      return z.preprocess(blank, f.required ? e : e.optional());
    }
    case 'region': {
      const r = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'validation.regionUnknown');
      return z.preprocess(blank, f.required ? r : r.optional());
    }
    case 'id': {
      const i = z.coerce.number().int().positive('validation.invalid');
      return z.preprocess(blank, f.required ? i : i.optional());
    }
  }
}

/** Builds the command schema of a list of fields; money fields read `<name>` and `<name>Unit`. */
export function schemaOf(fields: readonly FieldDef[], extra: Record<string, z.ZodType> = {}) {
  const shape: Record<string, z.ZodType> = { ...extra };
  for (const f of fields) shape[f.name] = fieldSchema(f);
  const moneyNames = fields.filter((f) => f.type === 'money').map((f) => f.name);
  return z.preprocess((body) => {
    if (typeof body !== 'object' || body === null) return body;
    const b = { ...(body as Record<string, unknown>) };
    for (const name of moneyNames) {
      const text = b[name];
      b[name] = {
        text: typeof text === 'string' ? text : undefined,
        unit: typeof b[`${name}Unit`] === 'string' ? b[`${name}Unit`] : undefined,
      };
    }
    return b;
  }, z.object(shape));
}
