import { prefixOfCode } from './region-codes.ts';
import { z } from 'zod';
import type { Translate } from './i18n.ts';

/** One message per field: an i18n key and its parameters, translated when rendered. */
export interface FieldError {
  key: string;
  params?: Record<string, string | number>;
}
export type FieldErrors = Record<string, FieldError>;

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/** Maps a zod issue to an i18n key; schemas may name their own key as the message. */
function issueToError(issue: z.core.$ZodIssue): FieldError {
  // a schema may name its own message as an i18n key (validation.…, framework.…)
  if (/^[a-z]+(\.[A-Za-z-]+)+$/.test(issue.message))
    return issue.code === 'custom' && issue.params ? { key: issue.message, params: issue.params } : { key: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      return { key: 'validation.required' };
    case 'too_small':
      return issue.origin === 'string'
        ? { key: 'validation.tooShort', params: { min: Number(issue.minimum) } }
        : { key: 'validation.invalid' };
    case 'too_big':
      return issue.origin === 'string'
        ? { key: 'validation.tooLong', params: { max: Number(issue.maximum) } }
        : { key: 'validation.invalid' };
    case 'invalid_value':
      return { key: 'validation.invalidChoice' };
    default:
      return { key: 'validation.invalid' };
  }
}

/** Parses untrusted input (a form body, a query string); keeps the first problem of each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): ParseResult<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    errors[field] ??= issueToError(issue);
  }
  return { ok: false, errors };
}

export function translateErrors(errors: FieldErrors, t: Translate): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([f, e]) => [f, t(e.key, e.params)]));
}

/** Form-field building blocks: browsers send '' for empty inputs and omit unchecked boxes. */
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const trimmed = (v: unknown) => (typeof v === 'string' ? v.trim() : v);

/** Identifiers in routes and query strings. */
export const ids = {
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  year: z.coerce.number().int().min(1996).max(2100),
};

/** Query-string filters of list pages: a bad value is ignored, never an error page. */
export const filters = {
  id: () => ids.id.optional().catch(undefined),
  year: () => ids.year.optional().catch(undefined),
  /** A region code prefix: 2 (province) to 12 (village) digits; a province's or prefecture's own code (320000) stands for all below it. */
  region: () =>
    z
      .string()
      .regex(/^\d{2,12}$/)
      .transform(prefixOfCode)
      .optional()
      .catch(undefined),
};

export const form = {
  text: (max = 200) => z.preprocess((v) => blankToUndefined(trimmed(v)), z.string().max(max)),
  optionalText: (max = 200) => z.preprocess((v) => blankToUndefined(trimmed(v)), z.string().max(max).optional()),
  checkbox: () => z.preprocess((v) => v === 'on' || v === 'true' || v === '1' || v === true, z.boolean()),
  page: () => z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(1_000_000).optional()),
};
