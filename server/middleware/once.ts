import type { RequestHandler } from 'express';
import type { Db } from '../../db/client.ts';
import { claimFormToken, isFormToken, newFormToken, releaseFormToken, settleFormToken } from '../forms/form-tokens.service.ts';
import { ConflictError } from '../lib/errors.ts';
import { storageRefuses } from '../lib/sqlite-errors.ts';
import { flash } from './flash.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * For a form whose success is answered with a page rather than a redirect (a new access token,
     * shown once): settles the form's one-time token now, so that a repeat goes to `location`.
     */
    settleForm?: (location: string) => void;
  }
}

const WAIT_MS = 50;
const WAIT_TRIES = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Double-submit protection (see form-tokens.service.ts). Mounted after the CSRF check, so only
 * genuine forms of a logged-in user claim tokens. Views get a fresh `onceToken` per render.
 */
export function once(db: Db): RequestHandler {
  return async (req, res, next) => {
    Object.defineProperty(res.locals, 'onceToken', { enumerable: true, get: newFormToken });
    const body = req.body as Record<string, unknown> | undefined;
    const token = body?._once;
    if (req.method !== 'POST' || !req.user || !isFormToken(token)) return next();
    const userId = req.user.id;
    let claim: ReturnType<typeof claimFormToken>;
    try {
      claim = claimFormToken(db, token, userId);
    } catch (err) {
      // A full (or failing) disk refuses the claim: the handler is told, and a form (submitForm)
      // gives itself back as typed with the 503 rather than save unguarded against a double submit.
      if (storageRefuses(err)) {
        res.locals.onceRefusedBy = err;
        return next();
      }
      throw err;
    }
    // A repeat waits while the first submit still runs (an await inside it), then goes where it
    // led; if the first one failed and let the token go, the repeat runs as a first submit.
    for (let i = 0; !claim.first && claim.location === null && claim.sameUser && i < WAIT_TRIES; i++) {
      await sleep(WAIT_MS);
      claim = claimFormToken(db, token, userId);
    }
    if (!claim.first) {
      if (!claim.sameUser || claim.location === null) return next(new ConflictError('forms.alreadySent'));
      flash(req, 'info', 'forms.alreadySent');
      return res.redirect(303, claim.location);
    }
    // Record where a successful submit leads before the response goes out; release the token when
    // the handler answers anything else (a 422 form, a refusal), so the corrected form can be sent.
    // Both hooks fire when the handler answers, even if the browser has already gone away.
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    let settled = false;
    const settle = (location: string) => {
      if (settled) return;
      settled = true;
      settleFormToken(db, token, location);
    };
    req.settleForm = settle;
    res.redirect = ((...args: unknown[]) => {
      const location = args.find((a): a is string => typeof a === 'string');
      if (location) settle(location);
      redirect(...args);
    }) as typeof res.redirect;
    res.end = ((...args: unknown[]) => {
      if (!settled) {
        settled = true;
        releaseFormToken(db, token, userId);
      }
      return end(...args);
    }) as typeof res.end;
    next();
  };
}
