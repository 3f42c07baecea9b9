import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import { ValidationError } from '../lib/errors.ts';
import type { RouteDef } from '../lib/routes.ts';
import { flash } from '../middleware/flash.ts';
import { idParam } from '../middleware/params.ts';
import { attachFile, getRecordFile, removeFile } from './records.files.ts';
import { RECORD_FILE_UPLOAD_PATH, recordPath } from './records.files.upload.ts';
import { checkWritable, kindOf } from './records.service.ts';

const writers = ['admin', 'staff'] as const;

/** Files on records: upload (parsed by recordFileUpload before it reaches here), download, remove. */
export function recordFileRoutes(db: Db): RouteDef[] {
  /**
   * @route POST /records/:kind/:rid/files — a file on a record (the body parsed by recordFileUpload).
   * Accepted or refused, the answer is a redirect to the record with a message (the upload's URL
   * carries its CSRF token, which must not stay in the address bar).
   */
  function create(req: Request, res: Response) {
    const kind = kindOf(req.params.kind);
    const back = recordPath(req);
    const refuse = (key: string, params?: Record<string, string | number>) => {
      flash(req, 'error', key, params);
      res.redirect(303, back);
    };
    if (req.uploadRefusal || !req.file) return refuse(req.uploadRefusal ?? 'recordFiles.missing');
    try {
      attachFile(db, req.user!, kind.key, idParam(req, 'rid'), {
        filename: Buffer.from(req.file.originalname, 'latin1').toString('utf8'),
        mime: req.file.mimetype,
        data: req.file.buffer,
      });
    } catch (err) {
      if (err instanceof ValidationError) {
        const why = err.fields.file;
        return refuse(why?.key ?? 'recordFiles.missing', why?.params as Record<string, string | number> | undefined);
      }
      throw err;
    }
    flash(req, 'success', 'recordFiles.saved');
    res.redirect(303, back);
  }

  /** @route GET /records/:kind/:rid/files/:fid — download, for whoever may see the record */
  function download(req: Request, res: Response) {
    const { file } = getRecordFile(db, req.user!, kindOf(req.params.kind).key, idParam(req, 'rid'), idParam(req, 'fid'));
    res
      .type(file.mime)
      .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
      .send(file.data);
  }

  /** @route GET /records/:kind/:rid/files/:fid/delete — asks before removing a file */
  function confirmDelete(req: Request, res: Response) {
    const { found, file } = getRecordFile(db, req.user!, kindOf(req.params.kind).key, idParam(req, 'rid'), idParam(req, 'fid'));
    checkWritable(found, 'delete');
    res.render('records/file-delete', {
      title: res.locals.t('recordFiles.delete'),
      kindKey: found.kind.key,
      record: found.record,
      file: { id: file.id, filename: file.filename, size: file.size },
    });
  }

  /** @route POST /records/:kind/:rid/files/:fid/delete */
  function destroy(req: Request, res: Response) {
    const filename = removeFile(db, req.user!, kindOf(req.params.kind).key, idParam(req, 'rid'), idParam(req, 'fid'));
    flash(req, 'success', 'recordFiles.deleted', { filename });
    res.redirect(303, recordPath(req));
  }

  return [
    { method: 'post', path: RECORD_FILE_UPLOAD_PATH, access: writers, handler: create },
    { method: 'get', path: '/records/:kind/:rid/files/:fid', access: 'user', handler: download },
    { method: 'get', path: '/records/:kind/:rid/files/:fid/delete', access: writers, handler: confirmDelete },
    { method: 'post', path: '/records/:kind/:rid/files/:fid/delete', access: writers, handler: destroy },
  ];
}
