import type { Request, RequestHandler } from 'express';
import type { Db } from '../../db/client.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { closeOnRefusal, receiveOneFile } from '../lib/upload-receive.ts';
import { guard } from '../middleware/guards.ts';
import { canUploadEvidence } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';

/**
 * The evidence upload's HTTP side: who may send a body at all (checked before a byte of it is read),
 * then the body streamed to a temp file and checked. What is stored, and by whom, is the service's
 * (assessment.evidence.ts).
 */
export const EVIDENCE_UPLOAD_PATH = '/assessment/:year/evidence';
const UPLOAD_PATH = /^\/assessment\/\d{4}\/evidence$/;

/**
 * The CSRF token of an upload, read from the query string (the form's action carries it), since
 * it must be checked before the body is read. Only for the upload route.
 */
export function uploadCsrfToken(req: Request): string | undefined {
  if (req.method !== 'POST' || !UPLOAD_PATH.test(req.path)) return undefined;
  const token = req.query._csrf;
  return typeof token === 'string' ? token : undefined;
}

/**
 * Before a byte of the body is read: the year's round exists, and the assessment policy lets the
 * actor upload there (to the object named in the query string, when the form names it).
 */
function mayUpload(db: Db): RequestHandler {
  return (req, _res, next) => {
    const year = Number(req.params.year);
    if (!Number.isInteger(year) || !q.findRound(db, year)) throw new NotFoundError();
    const objectKey = typeof req.query.objectKey === 'string' ? req.query.objectKey : undefined;
    if (!canUploadEvidence(db, req.user!, year, objectKey)) throw new ForbiddenError();
    next();
  };
}

/** The body streamed to disk and checked: the object the form names must be the one the query string named. */
const receive = receiveOneFile({
  name: 'upload',
  tooLarge: 'evidence.tooLarge',
  missing: 'evidence.missing',
  check: (req) => {
    const named = typeof req.query.objectKey === 'string' ? req.query.objectKey : undefined;
    const body = req.body as Record<string, unknown> | undefined;
    if (named !== undefined && body?.objectKey !== named) throw new NotFoundError();
  },
});

/**
 * The upload route's chain, mounted before the app-wide CSRF check: sign-in and role, the CSRF
 * token (query string or header), the actor's right to upload here — all before the body is read,
 * and a refusal closes the connection so the client stops sending — then the body streamed to a
 * temp file.
 */
export function evidenceUpload(db: Db, csrfCheck: RequestHandler): RequestHandler[] {
  return [closeOnRefusal, guard(['admin', 'evaluator', 'staff']), csrfCheck, mayUpload(db), receive];
}
