import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { inspectZip } from '../lib/zip.ts';
import { guard } from '../middleware/guards.ts';
import { canUploadEvidence, decideInput, enforce, objectFacts, pairingSidesOf, seesObject } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';
import { canSee, getFramework } from './assessment.service.ts';

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

/** Accepted evidence: the type the browser claims must match the file's own first bytes. */
const TYPES: Record<string, { ext: string[]; magic: number[] }> = {
  'application/pdf': { ext: ['.pdf'], magic: [0x25, 0x50, 0x44, 0x46] },
  'image/png': { ext: ['.png'], magic: [0x89, 0x50, 0x4e, 0x47] },
  'image/jpeg': { ext: ['.jpg', '.jpeg'], magic: [0xff, 0xd8, 0xff] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { ext: ['.docx'], magic: [0x50, 0x4b, 0x03, 0x04] },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { ext: ['.xlsx'], magic: [0x50, 0x4b, 0x03, 0x04] },
};

export const EVIDENCE_UPLOAD_PATH = '/assessment/:year/evidence';
const UPLOAD_PATH = /^\/assessment\/\d{4}\/evidence$/;

declare module 'express-serve-static-core' {
  interface Request {
    uploadError?: 'tooLarge' | 'invalid';
  }
}

/** A file refused for what it is (a zip bomb, a broken archive): a 422 page that says why. */
class RefusedFileError extends AppError {
  override readonly status = 422;
}

/** Where uploads stream to; every file (named after the process) is removed once its request is done. */
export const uploadDir = join(tmpdir(), 'ewc-uploads');
export const uploadPrefix = `${process.pid}-`;

/** Streams the one file to a temp file: at most 10 MB, one file, a few small fields. */
const parser = multer({
  storage: multer.diskStorage({
    destination: (_req, _file, cb) =>
      mkdir(uploadDir, { recursive: true }).then(
        () => cb(null, uploadDir),
        (e: Error) => cb(e, uploadDir),
      ),
    filename: (_req, _file, cb) => cb(null, `${uploadPrefix}${randomUUID()}.upload`),
  }),
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
 * Before a byte of the body is read: whether the actor may upload to this year's round (and to the
 * object named in the query string, when the form names it). Refusals close the connection so the
 * client stops sending.
 */
function mayUpload(db: Db): RequestHandler {
  return (req, _res, next) => {
    const year = Number(req.params.year);
    const round = Number.isInteger(year) ? q.findRound(db, year) : undefined;
    if (!round) throw new NotFoundError();
    if (round.stage !== 'self' && round.stage !== 'crosscheck') throw new ConflictError('assessment.wrongStage');
    const objectKey = typeof req.query.objectKey === 'string' ? req.query.objectKey : undefined;
    if (!canUploadEvidence(db, req.user!, year, objectKey)) throw new ForbiddenError();
    next();
  };
}

/** Streams the body to disk, checks what arrived, and hands the route the file in memory (at most 10 MB). */
function receive(req: Request, res: Response, next: NextFunction) {
  res.removeHeader('Connection');
  parser(req, res, (err: unknown) => {
    const file = req.file;
    const cleanup = () => (file?.path ? rm(file.path, { force: true }) : Promise.resolve());
    void (async () => {
      if (err) {
        req.uploadError = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'invalid';
        return;
      }
      const named = typeof req.query.objectKey === 'string' ? req.query.objectKey : undefined;
      const body = req.body as Record<string, unknown> | undefined;
      if (named !== undefined && body?.objectKey !== named) throw new NotFoundError();
      if (!file) return;
      const head = Buffer.alloc(4);
      const fh = await open(file.path);
      try {
        await fh.read(head, 0, 4, 0);
      } finally {
        await fh.close();
      }
      if (head.equals(ZIP_MAGIC)) {
        const verdict = await inspectZip(file.path, file.size);
        if (verdict !== 'ok') throw new RefusedFileError(verdict === 'bomb' ? 'upload.zipBomb' : 'upload.badZip');
      }
      file.buffer = await readFile(file.path);
    })()
      .finally(cleanup)
      .then(() => next(), next);
  });
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/**
 * The upload route's chain, mounted before the app-wide CSRF check: sign-in and role, the CSRF
 * token (query string or header), the actor's right to upload here — all before the body is read —
 * then the body streamed to a temp file that is always removed.
 */
export function evidenceUpload(db: Db, csrfCheck: RequestHandler): RequestHandler[] {
  const closeOnRefusal: RequestHandler = (_req, res, next) => {
    res.setHeader('Connection', 'close');
    next();
  };
  return [closeOnRefusal, guard(['admin', 'evaluator', 'staff']), csrfCheck, mayUpload(db), receive];
}

export interface EvidenceUpload {
  objectKey: string;
  indicatorKey: string;
  filename: string;
  mime: string;
  data: Buffer;
}

function cleanName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f"<>|*?:]/g, '_');
  return base.slice(-120) || 'evidence';
}

/**
 * Stores a file behind a self-assessment (the object's office, at self-assessment) or behind a
 * judged score (an evaluator of a team assigned to the object, at cross-check).
 */
export function addEvidence(db: Db, actor: Actor, year: number, upload: EvidenceUpload) {
  const round = q.findRound(db, year);
  if (!round) throw new NotFoundError();
  const { doc } = getFramework(db, year);
  const inGroup = doc.objects.groups.some((g) =>
    g.members.some((m) => (m.kind === 'region' ? `r.${g.side}.${m.code}` : `p.${m.pairingId}`) === upload.objectKey),
  );
  if (!inGroup) throw new NotFoundError();
  const judged = upload.indicatorKey !== '';
  if (judged && !doc.content.indicators.some((i) => i.key === upload.indicatorKey && i.rule.type === 'judged'))
    throw new NotFoundError();
  // the assessment policy decides: the object's office at self-assessment, its team at cross-check
  const obj = objectFacts(doc, upload.objectKey, pairingSidesOf(db, doc));
  if (!seesObject(actor, doc, round.stage, obj)) throw new NotFoundError();
  enforce(decideInput(actor, round.stage, obj, judged ? 'uploadJudgedEvidence' : 'uploadSelfEvidence'));
  const type = TYPES[upload.mime];
  const filename = cleanName(upload.filename);
  const ext = filename.slice(filename.lastIndexOf('.')).toLowerCase();
  if (upload.data.length === 0) throw new ValidationError({ file: { key: 'evidence.empty' } });
  if (!type || !type.ext.includes(ext) || !type.magic.every((b, i) => upload.data[i] === b))
    throw new ValidationError({ file: { key: 'evidence.type' } });
  return db.transaction((tx) => {
    const row = q.insertEvidence(tx, {
      roundId: round.id,
      objectKey: upload.objectKey,
      indicatorKey: upload.indicatorKey,
      userId: actor.id,
      filename,
      mime: upload.mime,
      size: upload.data.length,
      data: upload.data,
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'evidence',
      entity: 'round.input',
      entityId: `${year}:${upload.objectKey}:${upload.indicatorKey}`,
      after: { evidenceId: row.id, filename, size: upload.data.length },
    });
    return row;
  });
}

export function evidenceList(db: Db, year: number, objectKey: string) {
  const round = q.findRound(db, year);
  return round ? q.listEvidence(db, round.id, objectKey) : [];
}

/** A file, for whoever may see its object's scorecard; anything else is 404. */
export function getEvidence(db: Db, actor: Actor, year: number, id: number) {
  const row = q.findEvidence(db, id);
  const round = q.findRound(db, year);
  if (!row || !round || row.roundId !== round.id || !canSee(db, actor, year, row.objectKey)) throw new NotFoundError();
  return row;
}
