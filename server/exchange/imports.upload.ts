import { rm } from 'node:fs/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { headOf, tempFileStorage } from '../lib/uploads.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { guard } from '../middleware/guards.ts';
import { isTargetKey } from './exchange.targets.ts';
import { IMPORT_LIMITS } from './exchange.read.ts';
import { IMPORTERS, canImport } from './imports.service.ts';

/**
 * The import upload's HTTP side, as the evidence upload's: sign-in, role, CSRF (in the query
 * string) and a known kind are checked before a byte of the body is read; the file streams to a
 * temp file of at most 20 MB, which the route removes once the check is done.
 */
export const IMPORT_UPLOAD_PATH = '/imports';

declare module 'express-serve-static-core' {
  interface Request {
    /** The uploaded file on disk and its first bytes (the route hands it to the import service). */
    importFile?: { path: string; name: string; bytes: number; head: Buffer };
  }
}

export function importCsrfToken(req: Request): string | undefined {
  if (req.method !== 'POST' || req.path !== IMPORT_UPLOAD_PATH) return undefined;
  const token = req.query._csrf;
  return typeof token === 'string' ? token : undefined;
}

const parser = multer({
  storage: tempFileStorage('import'),
  limits: { fileSize: IMPORT_LIMITS.maxBytes, files: 1, fields: 5, fieldSize: 1_000, parts: 6, headerPairs: 200 },
}).single('file');

/** Multer's file name is the raw header bytes read as latin1: give back the UTF-8 the browser sent. */
const fileNameOf = (name: string) => Buffer.from(name, 'latin1').toString('utf8');

function receive(req: Request, res: Response, next: NextFunction) {
  res.removeHeader('Connection');
  parser(req, res, (err: unknown) => {
    const file = req.file;
    if (err) {
      if (file?.path) void rm(file.path, { force: true });
      req.uploadRefusal =
        err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' ? 'import.file.tooLarge' : 'import.file.missing';
      return next();
    }
    if (!file) {
      req.uploadRefusal = 'import.file.missing';
      return next();
    }
    headOf(file.path, 8).then(
      (head) => {
        req.importFile = { path: file.path, name: fileNameOf(file.originalname), bytes: file.size, head };
        next();
      },
      (e: unknown) => {
        void rm(file.path, { force: true });
        next(e);
      },
    );
  });
}

/** Before the body: the kind named in the query string exists and the actor may import. */
const mayImport: RequestHandler = (req, _res, next) => {
  if (!isTargetKey(req.query.kind)) throw new NotFoundError();
  if (!canImport(req.user!)) throw new ForbiddenError();
  next();
};

export function importUpload(csrfCheck: RequestHandler): RequestHandler[] {
  const closeOnRefusal: RequestHandler = (_req, res, next) => {
    res.setHeader('Connection', 'close');
    next();
  };
  return [closeOnRefusal, guard(IMPORTERS), csrfCheck, mayImport, receive];
}
