import type { RequestHandler } from 'express';
import type { Db } from '../../db/client.ts';
import {
  claimFormToken,
  formTokenLocation,
  isFormToken,
  newFormToken,
  releaseFormToken,
  settleFormToken,
} from '../forms/form-tokens.service.ts';
import { ConflictError } from '../lib/errors.ts';
import { flash } from './flash.ts';

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
    const claim = claimFormToken(db, token, userId);
    if (!claim.first) {
      if (!claim.sameUser) return next(new ConflictError('forms.alreadySent'));
      // The first submit may still be running (an await inside it): wait for where it led.
      let location = claim.location;
      for (let i = 0; location === null && i < WAIT_TRIES; i++) {
        await sleep(WAIT_MS);
        location = formTokenLocation(db, token);
      }
      if (location === null) return next(new ConflictError('forms.alreadySent'));
      flash(req, 'info', 'forms.alreadySent');
      return res.redirect(303, location);
    }
    // Record where a successful submit leads before the response goes out; release otherwise.
    const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
    let settled = false;
    res.redirect = ((...args: unknown[]) => {
      const location = args.find((a): a is string => typeof a === 'string');
      if (location && !settled) {
        settled = true;
        settleFormToken(db, token, location);
      }
      redirect(...args);
    }) as typeof res.redirect;
    res.on('close', () => {
      if (!settled) releaseFormToken(db, token, userId);
    });
    next();
  };
}
