import { readFile, rm } from 'node:fs/promises';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import { headOf, isZip, MAX_FILE_BYTES, tempFileStorage } from './uploads.ts';
import { inspectZip } from './zip.ts';

declare module 'express-serve-static-core' {
  interface Request {
    /** Why the file that arrived is refused (an i18n key), for the route to tell the user. */
    uploadRefusal?: string;
  }
}

export interface ReceiveOptions {
  /** The temp file's extension (to tell the uploads apart in the folder). */
  name: string;
  /** The i18n keys of the refusals: the file too large, none sent. */
  tooLarge: string;
  missing: string;
  /** Form fields allowed beside the file. */
  fields?: number;
  /** A check of the parsed fields before the file is read into memory (throws to refuse). */
  check?: (req: Request) => void;
}

/**
 * Streams the one file of a multipart body (field `file`, at most 10 MB) to a temp file and checks
 * what arrived (an Office file must not be a zip bomb); hands the route the file in memory, or the
 * reason it was refused (`req.uploadRefusal`). The temp file is always removed. Mount it only after
 * the checks that need no body (sign-in, role, CSRF, the right to upload there).
 */
export function receiveOneFile(o: ReceiveOptions): RequestHandler {
  const fields = o.fields ?? 10;
  const parser = multer({
    storage: tempFileStorage(o.name),
    limits: { fileSize: MAX_FILE_BYTES, files: 1, fields, fieldSize: 10_000, parts: fields + 2, headerPairs: 200 },
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) => {
    res.removeHeader('Connection');
    parser(req, res, (err: unknown) => {
      const file = req.file;
      const cleanup = () => (file?.path ? rm(file.path, { force: true }) : Promise.resolve());
      void (async () => {
        if (err) {
          req.uploadRefusal = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' ? o.tooLarge : o.missing;
          return;
        }
        o.check?.(req);
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
  };
}

/** Asks the client to stop sending: a refusal before the body is read closes the connection. */
export const closeOnRefusal: RequestHandler = (_req, res, next) => {
  res.setHeader('Connection', 'close');
  next();
};
