import type { Request, Response } from 'express';
import type { z } from 'zod';
import { NeedsConfirmationError, ValidationError } from '../lib/errors.ts';
import { databaseRefusal } from './error-handler.ts';
import { renderWarnings, wantsRevision } from './form-warnings.ts';
import type { RegionOption, RegionPick } from '../regions/regions.service.ts';
import type { Translate } from '../lib/i18n.ts';
import { uniqueFieldError, uniqueViolation } from '../lib/unique.ts';
import { parseInput, translateErrors, type FieldError, type FieldErrors } from '../lib/validation.ts';

export interface RegionFields {
  names: readonly string[];
  pick: (text: string) => RegionPick;
}

/**
 * Region fields as typed (a code, a name, a name path, or a choice among an ambiguous name's
 * candidates, sent as `<name>Choice`) to codes; a text that names no single region gets one
 * message and its candidates to choose from — the picker's step without JavaScript.
 */
function pickRegionFields(body: unknown, regions: RegionFields) {
  const given: Record<string, unknown> = typeof body === 'object' && body !== null ? { ...body } : {};
  const choiceKeys = new Set(regions.names.map((n) => `${n}Choice`));
  const values = Object.fromEntries(Object.entries(given).filter(([key]) => !choiceKeys.has(key)));
  const errors: FieldErrors = {};
  const choices: Record<string, (RegionOption & { field: string })[]> = {};
  for (const name of regions.names) {
    const choice = given[`${name}Choice`];
    const typed = typeof choice === 'string' && choice !== '' ? choice : values[name];
    if (typeof typed !== 'string' || typed.trim() === '') continue;
    const picked = regions.pick(typed);
    if (picked.ok) {
      values[name] = picked.code;
      continue;
    }
    errors[name] =
      picked.reason === 'unknown'
        ? { key: 'validation.regionUnknown' }
        : {
            key: picked.reason === 'path' ? 'regions.pick.path' : 'regions.pick.ambiguous',
            params: { n: picked.candidates.length },
          };
    choices[name] = picked.candidates.map((c) => ({ ...c, field: name }));
  }
  return { body: values, errors, choices };
}

/** What the user typed, to put back in the form; passwords are never sent back. */
export function keptValues(body: unknown): Record<string, unknown> {
  const entries = typeof body === 'object' && body !== null ? Object.entries(body) : [];
  return Object.fromEntries(entries.filter(([key]) => !/password|_csrf|Choice$/i.test(key)));
}

export function renderInvalid(
  res: Response,
  view: string,
  locals: Record<string, unknown>,
  values: unknown,
  errors: FieldErrors,
  formError: string | FieldError = 'validation.failed',
): void {
  const t = res.locals.t as Translate;
  const whole = typeof formError === 'string' ? { key: formError } : formError;
  res.status(422).render(view, {
    ...locals,
    values: keptValues(values),
    errors: translateErrors(errors, t),
    formError: t(whole.key, whole.params),
  });
}

/**
 * The form round trip: parse the body with the command's schema, run the service, and on bad input
 * (from zod or from a service's ValidationError) render the form again with 422, the user's values
 * and one message per field (a service's `_form` error, about no one field, is the message at the
 * top of the form). A unique key taken meanwhile by another request (the database's unique index
 * refused the write) is bad input too: 422 with the message on the field of that key, never a 500.
 * A database that cannot take the write (a full disk) gives the form back too, with 503 and why.
 * Returns undefined when the form was re-rendered.
 */
export async function submitForm<S extends z.ZodType, R>(
  req: Request,
  res: Response,
  options: {
    schema: S;
    view: string;
    locals?: Record<string, unknown>;
    /** Region fields typed as names or codes, read by the regions' picker before the schema sees them. */
    regions?: RegionFields;
    run: (data: z.output<S>) => R | Promise<R>;
  },
): Promise<Awaited<R> | undefined> {
  // "返回修改" on a warning page: the form again with what was typed, nothing saved
  if (wantsRevision(req.body)) {
    res.render(options.view, { ...options.locals, values: keptValues(req.body) });
    return undefined;
  }
  const picked = options.regions ? pickRegionFields(req.body, options.regions) : undefined;
  const locals = { ...options.locals, ...(picked ? { regionChoices: picked.choices } : {}) };
  const parsed = parseInput(options.schema, picked?.body ?? req.body);
  if (!parsed.ok || (picked && Object.keys(picked.errors).length > 0)) {
    renderInvalid(res, options.view, locals, req.body, { ...(parsed.ok ? {} : parsed.errors), ...picked?.errors });
    return undefined;
  }
  try {
    // the form's one-time token could not be claimed (middleware/once.ts): no save without it
    if (res.locals.onceRefusedBy) throw res.locals.onceRefusedBy;
    return await options.run(parsed.data);
  } catch (err) {
    if (err instanceof ValidationError) {
      const { _form: whole, ...fields } = err.fields;
      renderInvalid(res, options.view, locals, req.body, fields, whole);
      return undefined;
    }
    if (err instanceof NeedsConfirmationError) {
      renderWarnings(req, res, locals, err.warnings);
      return undefined;
    }
    // the database cannot take the write now (a full disk): the form again, as typed, saying why
    const refused = databaseRefusal(err, res.locals.t as Translate);
    if (refused) {
      res.locals.dbError = refused.code; // for the access log's line
      res.status(refused.status).set('Retry-After', String(refused.retryAfter));
      res.render(options.view, { ...locals, values: keptValues(req.body), formError: refused.message });
      return undefined;
    }
    const violation = uniqueViolation(err);
    if (violation) {
      const data: unknown = parsed.data;
      const fields = typeof data === 'object' && data !== null ? Object.keys(data) : [];
      const { field, error } = uniqueFieldError(violation, fields);
      // a key the form does not show (e.g. the pairing) gets its message at the top of the form
      if (fields.includes(field)) renderInvalid(res, options.view, locals, req.body, { [field]: error });
      else renderInvalid(res, options.view, locals, req.body, {}, error.key);
      return undefined;
    }
    throw err;
  }
}
