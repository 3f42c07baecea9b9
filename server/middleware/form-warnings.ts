import type { Request, Response } from 'express';
import type { Translate } from '../lib/i18n.ts';
import type { Warning } from '../lib/errors.ts';
import { warningText, type FormField } from '../lib/present.ts';
import { warningsDigest } from '../lib/warnings-digest.ts';

/**
 * The warning page of a form whose values are allowed but implausible (records.warnings.ts): the
 * values as typed, each warning in words, and two buttons that post the typed values again — one
 * with the confirmation ("是的，数值无误，保存"), one back to the form ("返回修改"). Answered with
 * 422: nothing was saved, as for any form sent back (a client or a test that checks the status
 * sees the save did not happen); the page itself is a question, not an error list.
 */

/** Fields never carried over: the tokens are renewed, the two buttons' own fields are set by the page. */
const NOT_CARRIED = /^(_csrf|_once|confirmWarnings|reviseWarnings)$|password/i;

export const wantsRevision = (body: unknown) =>
  typeof body === 'object' && body !== null && (body as Record<string, unknown>).reviseWarnings === '1';

export function renderWarnings(req: Request, res: Response, locals: Record<string, unknown>, warnings: readonly Warning[]) {
  const t = res.locals.t as Translate;
  const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<string, unknown>;
  const hidden = Object.entries(body)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && !NOT_CARRIED.test(e[0]))
    .map(([name, value]) => ({ name, value }));
  const fields = (locals.fields as FormField[] | undefined) ?? [];
  const typed = fields.flatMap((f) => {
    const value = body[f.name];
    if (typeof value !== 'string' || value.trim() === '') return [];
    const unit = body[`${f.name}Unit`];
    const text =
      f.type === 'enum'
        ? (f.options.find((o) => o.value === value)?.label ?? value)
        : f.type === 'money'
          ? `${value} ${t(`money.${unit === 'yuan' ? 'yuan' : 'wan'}`)}`
          : value;
    return [{ label: f.label, text }];
  });
  res.status(422).render('forms/warnings', {
    ...locals,
    title: t('warnings.title'),
    warnings: warnings.map((w) => warningText(w, t, req.moneyUnit)),
    typed,
    hidden,
    digest: warningsDigest(warnings),
  });
}
