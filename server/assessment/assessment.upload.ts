import { readFile, rm } from 'node:fs/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Db } from '../../db/client.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { inspectZip } from '../lib/zip.ts';
import { headOf, tempFileStorage } from '../lib/uploads.ts';
import { guard } from '../middleware/guards.ts';
import { MAX_EVIDENCE_BYTES, isZip } from './assessment.evidence.ts';
import { canUploadEvidence } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';

/**
 * The evidence upload's HTTP side: who may send a body at all (checked before a byte of it is read),
 * then the body streamed to a temp file and checked. What is stored, and by whom, is the service's
 * (assessment.evidence.ts).
 */
export const EVIDENCE_UPLOAD_PATH = '/assessment/:year/evidence';
const UPLOAD_PATH = /^\/assessment\/\d{4}\/evidence$/;

declare module 'express-serve-static-core' {
  interface Request {
    /** Why the file that arrived is refused (an i18n key), for the route to tell the user. */
    uploadRefusal?: string;
  }
}

/** Streams the one file to a temp file: at most 10 MB, one file, a few small fields. */
const parser = multer({
  storage: tempFileStorage('upload'),
  limits: { fileSize: MAX_EVIDENCE_BYTES, files: 1, fields: 10, fieldSize: 10_000, parts: 12, headerPairs: 200 },
}).single('file');

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

const MULTER_REFUSALS: Record<string, string> = { LIMIT_FILE_SIZE: 'evidence.tooLarge' };

/**
 * Streams the body to disk and checks what arrived (an Office file must not be a zip bomb); hands
 * the route the file in memory (at most 10 MB), or the reason it was refused. The temp file is
 * always removed.
 */
function receive(req: Request, res: Response, next: NextFunction) {
  res.removeHeader('Connection');
  parser(req, res, (err: unknown) => {
    const file = req.file;
    const cleanup = () => (file?.path ? rm(file.path, { force: true }) : Promise.resolve());
    void (async () => {
      if (err) {
        req.uploadRefusal = (err instanceof multer.MulterError && MULTER_REFUSALS[err.code]) || 'evidence.missing';
        return;
      }
      const named = typeof req.query.objectKey === 'string' ? req.query.objectKey : undefined;
      const body = req.body as Record<string, unknown> | undefined;
      if (named !== undefined && body?.objectKey !== named) throw new NotFoundError();
      if (!file) return;
      if (isZip(await headOf(file.path, 4))) {
        const verdict = await inspectZip(file.path, file.size);
        if (verdict !== 'ok') {
          req.uploadRefusal = verdict === 'bomb' ? 'upload.zipBomb' : 'upload.badZip';
          return;
        }
      }
      file.buffer = await readFile(file.path);
    })()
      .finally(cleanup)
      .then(() => next(), next);
  });
}

/**
 * The upload route's chain, mounted before the app-wide CSRF check: sign-in and role, the CSRF
 * token (query string or header), the actor's right to upload here — all before the body is read,
 * and a refusal closes the connection so the client stops sending — then the body streamed to a
 * temp file.
 */
export function evidenceUpload(db: Db, csrfCheck: RequestHandler): RequestHandler[] {
  const closeOnRefusal: RequestHandler = (_req, res, next) => {
    res.setHeader('Connection', 'close');
    next();
  };
  return [closeOnRefusal, guard(['admin', 'evaluator', 'staff']), csrfCheck, mayUpload(db), receive];
}
