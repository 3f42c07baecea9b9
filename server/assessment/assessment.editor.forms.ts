import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { Db } from '../../db/client.ts';
import type { Translate } from '../lib/i18n.ts';
import type { FieldErrors } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { submitForm } from '../middleware/forms.ts';
import { FrameworkInvalid } from './assessment.editor.check.ts';
import { problemText } from './assessment.editor.json.ts';
import { INDICATOR_MEASURES, type FrameworkDoc } from './assessment.framework.ts';
import { decideYear, enforce } from './assessment.policy.ts';
import { yearFacts } from './assessment.facts.ts';
import { getFramework } from './assessment.service.ts';
import { ValidationError } from '../lib/errors.ts';
import { SCORINGS } from './assessment.editor.ts';

/**
 * What the framework's form pages share: the policy asked before a form is shown (a published
 * year's forms are never offered), the choices of each select with their labels in the reader's
 * language, and the round trip of one form (422 with what was typed and a message per field,
 * each problem naming its area and indicator; else a flash and back to the framework page).
 */

export const nameIn = (n: { zh: string; en: string }, locale: string) => (locale === 'en' ? n.en : n.zh);

/** The framework as it stands for a form, once the policy allows editing it. */
export function editable(db: Db, req: Request, year: number) {
  enforce(decideYear(req.user!, yearFacts(db, year), 'editFramework'));
  return getFramework(db, year);
}

/** The selects of the forms, each option with its label. */
export function choices(doc: FrameworkDoc, t: Translate, locale: string) {
  return {
    areaOptions: doc.content.areas.map((a) => ({ value: a.key, label: nameIn(a.name, locale) })),
    measureOptions: INDICATOR_MEASURES.map((m) => ({ value: m, label: t(`measure.${m}`) })),
    sideOptions: (['both', 'assisting', 'assisted'] as const).map((s) => ({ value: s, label: t(`side.${s}`) })),
    scoringOptions: SCORINGS.map((s) => ({ value: s, label: t(`rule.${s}`) })),
    capOptions: (['fairlyGood', 'average', 'poor'] as const).map((c) => ({ value: c, label: t(`grade.${c}`) })),
  };
}

/** A framework problem's messages, in the reader's words, as the form's field errors. */
function inWords(err: FrameworkInvalid, t: Translate, locale: string): FieldErrors {
  return Object.fromEntries(
    Object.entries(err.fields).map(([field, e]) => [
      field,
      { key: 'framework.text', params: { text: problemText({ key: e.key, params: e.params ?? {} }, t, locale) } },
    ]),
  );
}

/**
 * One form of the framework: parsed by its schema, applied by `run`, answered with 422 and the
 * page again on bad input, else back to the framework page (or `next`) with a flash.
 */
export async function frameworkForm<S extends z.ZodType>(
  req: Request,
  res: Response,
  options: {
    year: number;
    schema: S;
    view: string;
    locals: () => Record<string, unknown>;
    run: (data: z.output<S>) => void;
    flash?: string;
    next?: string;
  },
) {
  const t = res.locals.t as Translate;
  const done = await submitForm(req, res, {
    schema: options.schema,
    view: options.view,
    locals: options.locals(),
    run: (data) => {
      try {
        options.run(data);
      } catch (err) {
        if (err instanceof FrameworkInvalid) throw new ValidationError(inWords(err, t, req.locale));
        throw err;
      }
      return true;
    },
  });
  if (!done) return;
  flash(req, 'success', options.flash ?? 'flash.saved');
  res.redirect(options.next ?? `/assessment/${options.year}/framework`);
}

/** String values of a form, as the page shows them before anything is typed. */
export const asValues = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
