import type { Request, RequestHandler } from 'express';
import type { Db } from '../../db/client.ts';
import { closeOnRefusal, receiveOneFile } from '../lib/upload-receive.ts';
import { flash } from '../middleware/flash.ts';
import { guard } from '../middleware/guards.ts';
import { idParam } from '../middleware/params.ts';
import { checkAttach, MAX_FILES_PER_RECORD } from './records.files.ts';
import { kindOf } from './records.service.ts';

/**
 * A record's file upload, HTTP side: who may send a body at all is checked before a byte of it is
 * read (sign-in, role, CSRF from the query string, the records policy's edit flag, room for one
 * more file, a body no larger than a file may be), then the body streams to a temp file and is
 * checked (lib/upload-receive). What is stored is the service's (records.files.ts).
 */
export const RECORD_FILE_UPLOAD_PATH = '/records/:kind/:rid/files';
const UPLOAD_PATH = /^\/records\/[a-z]+\/\d+\/files$/;

/** The CSRF token of a record file upload, from the query string (checked before the body is read). */
export function recordFileCsrfToken(req: Request): string | undefined {
  if (req.method !== 'POST' || !UPLOAD_PATH.test(req.path)) return undefined;
  const token = req.query._csrf;
  return typeof token === 'string' ? token : undefined;
}

/** The record's page, where an upload's answer goes back to. */
export const recordPath = (req: Request) => `/records/${kindOf(req.params.kind).key}/${idParam(req, 'rid')}`;

/**
 * The records policy before the body: 404 outside the actor's scope, 403 (or 409 for a locked
 * year) without the edit flag; a body too large or a record full of files is answered at once,
 * back on the record's page with the reason, and the connection closed.
 */
function mayAttach(db: Db): RequestHandler {
  return (req, res, next) => {
    const kind = kindOf(req.params.kind);
    const announced = Number(req.headers['content-length'] ?? 0);
    const refusal = checkAttach(db, req.user!, kind.key, idParam(req, 'rid'), Number.isFinite(announced) ? announced : 0);
    if (!refusal) return next();
    flash(req, 'error', refusal, { max: MAX_FILES_PER_RECORD });
    res.redirect(303, recordPath(req));
  };
}

const receive = receiveOneFile({ name: 'attach', tooLarge: 'recordFiles.tooLarge', missing: 'recordFiles.missing', fields: 3 });

/** The upload route's chain, mounted before the app-wide CSRF check and the form-bodies-only rule. */
export function recordFileUpload(db: Db, csrfCheck: RequestHandler): RequestHandler[] {
  return [closeOnRefusal, guard(['admin', 'staff']), csrfCheck, mayAttach(db), receive];
}
