import { z } from 'zod';
import type { Request } from 'express';
import { form } from '../lib/validation.ts';
import { param } from '../middleware/params.ts';
import { SCORINGS } from './assessment.editor.ts';
import { INDICATOR_MEASURES } from './assessment.framework.ts';

/** The framework's forms, one schema per command; numbers typed as text, blanks as nothing. */

const KEY = /^[a-z0-9_.-]{1,40}$/i;
export const itemParam = (req: Request, name: string) => param(req, name, z.string().regex(KEY));

const version = z.coerce.number().int().min(1);
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const optionalKey = z.preprocess(blank, z.string().regex(KEY, 'framework.keyFormat').optional());
const numberOf = (error: string, min: number, max: number, exclusive: boolean) =>
  z.coerce.number({ error }).refine((n) => Number.isFinite(n) && (exclusive ? n > min : n >= min) && n <= max, error);
const number = (error: string, min: number, max: number, exclusive = false) =>
  z.preprocess(blank, numberOf(error, min, max, exclusive));
const percent = number('framework.percentRange', 0, 100);

export const VersionForm = z.object({ version });
export const MoveForm = z.object({ version, direction: z.enum(['up', 'down']) });

export const AreaForm = z.object({
  version,
  key: optionalKey,
  zh: z.preprocess(blank, z.string({ error: 'validation.required' }).max(80)),
  en: form.optionalText(120),
});

/** Rows of the bands table: bandMin0/bandPoints0 …; a row left blank is no row. */
export const BAND_ROWS = 10;

/** A band cell as typed: blank is nothing, else a number (NaN when it is none). */
const cell = (v: unknown): number | undefined => (typeof v !== 'string' || v.trim() === '' ? undefined : Number(v.trim()));

export const IndicatorForm = z.preprocess(
  (body) => {
    const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const rows = Array.from({ length: BAND_ROWS }, (_, i) => ({
      min: cell(b[`bandMin${i}`]),
      points: cell(b[`bandPoints${i}`]),
    }));
    return { ...b, rows };
  },
  z
    .object({
      version,
      key: optionalKey,
      zh: z.preprocess(blank, z.string({ error: 'validation.required' }).max(80)),
      en: form.optionalText(120),
      area: z.string({ error: 'validation.required' }).regex(KEY, 'validation.invalidChoice'),
      points: number('framework.pointsRange', 0, 100, true),
      side: z.enum(['assisting', 'assisted', 'both'], { error: 'validation.invalidChoice' }),
      scoring: z.enum(SCORINGS, { error: 'validation.invalidChoice' }),
      measure: z.preprocess(blank, z.enum(INDICATOR_MEASURES, { error: 'validation.invalidChoice' }).optional()),
      rows: z.array(
        z.object({ min: z.union([z.number(), z.nan()]).optional(), points: z.union([z.number(), z.nan()]).optional() }),
      ),
    })
    .superRefine((v, ctx) => {
      if (v.scoring !== 'judged' && v.measure === undefined)
        ctx.addIssue({ code: 'custom', path: ['measure'], message: 'framework.measureRequired' });
      v.rows.forEach((r, i) => {
        if (r.min !== undefined && !(Number.isFinite(r.min) && r.min >= 0))
          ctx.addIssue({ code: 'custom', path: [`bandMin${i}`], message: 'framework.bandMin' });
        if (r.points !== undefined && !(Number.isFinite(r.points) && r.points >= 0 && r.points <= 100))
          ctx.addIssue({ code: 'custom', path: [`bandPoints${i}`], message: 'framework.bandPoints' });
        if ((r.min === undefined) !== (r.points === undefined))
          ctx.addIssue({
            code: 'custom',
            path: [r.min === undefined ? `bandMin${i}` : `bandPoints${i}`],
            message: 'framework.bandHalf',
          });
      });
      if (v.scoring === 'bands' && !v.rows.some((r) => r.min !== undefined && r.points !== undefined))
        ctx.addIssue({ code: 'custom', path: ['bandMin0'], message: 'framework.bandsRequired' });
    })
    .transform(({ rows, ...v }) => ({
      ...v,
      measure: v.scoring === 'judged' ? undefined : v.measure,
      bands: rows.filter((r): r is { min: number; points: number } => r.min !== undefined && r.points !== undefined),
    })),
);

export const GradingForm = z.object({
  version,
  good: percent,
  fairlyGood: percent,
  average: percent,
  quota: z.preprocess(
    (v) => (blank(v) === undefined ? null : v),
    z.coerce
      .number({ error: 'framework.percentRange' })
      .min(0, 'framework.percentRange')
      .max(100, 'framework.percentRange')
      .nullable(),
  ),
  tolerance: percent,
});

export const VetoForm = z.object({
  version,
  key: optionalKey,
  name: z.preprocess(blank, z.string({ error: 'validation.required' }).max(200)),
  cap: z.enum(['fairlyGood', 'average', 'poor'], { error: 'validation.invalidChoice' }),
});
