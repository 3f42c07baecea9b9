import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import * as q from './form-tokens.queries.ts';

/**
 * One-time form tokens make a double-clicked form take effect once. Every form that creates
 * something carries a fresh token; the first submit claims it and, when it succeeds, records where
 * it led. A repeat of the same token is sent there instead of running again. A submit that did not
 * succeed (a 422 form, a refusal) releases its token, so the corrected form can be sent again.
 */
export const newFormToken = () => randomBytes(18).toString('base64url');
export const isFormToken = (v: unknown): v is string => typeof v === 'string' && /^[A-Za-z0-9_-]{24}$/.test(v);

/** Tokens older than a day are forgotten (a form left open longer is simply sent again). */
const DAY = 24 * 60 * 60 * 1000;

export type Claim = { first: true } | { first: false; location: string | null; sameUser: boolean };

export function claimFormToken(db: Db, token: string, userId: number, now = new Date()): Claim {
  // Old tokens go as new ones come (an indexed range delete, nearly always empty).
  q.pruneBefore(db, new Date(now.getTime() - DAY));
  if (q.claim(db, token, userId)) return { first: true };
  const row = q.find(db, token);
  // A row gone meanwhile was released by a failed first submit: the caller may claim it again.
  return { first: false, location: row?.location ?? null, sameUser: row === undefined || row.userId === userId };
}

export function settleFormToken(db: Db, token: string, location: string) {
  q.settle(db, token, location);
}

export function releaseFormToken(db: Db, token: string, userId: number) {
  q.release(db, token, userId);
}
