import { basename } from 'node:path';
import type { RequestHandler } from 'express';
import multer from 'multer';
import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { isWithin } from '../regions/regions.service.ts';
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

declare module 'express-serve-static-core' {
  interface Request {
    uploadError?: 'tooLarge' | 'invalid';
  }
}

const parser = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: MAX_EVIDENCE_BYTES, files: 1, fields: 10, fieldSize: 10_000 },
}).single('file');

/**
 * Parses the evidence upload before the app's CSRF check runs (so the check reads the form's token
 * like any other form). Parser errors become `req.uploadError`, which the route reports as a 422.
 */
export const evidenceUpload: RequestHandler = (req, res, next) => {
  parser(req, res, (err: unknown) => {
    if (err) req.uploadError = err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE' ? 'tooLarge' : 'invalid';
    next();
  });
};

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
  const code = /^r\.\w+\.(\d{6})$/.exec(upload.objectKey)?.[1];
  if (upload.indicatorKey === '') {
    if (round.stage !== 'self') throw new ConflictError('assessment.wrongStage');
    if (actor.role !== 'admin' && !(actor.role === 'staff' && code && actor.scope && isWithin(code, actor.scope)))
      throw new ForbiddenError();
  } else {
    if (round.stage !== 'crosscheck') throw new ConflictError('assessment.wrongStage');
    if (!doc.content.indicators.some((i) => i.key === upload.indicatorKey && i.rule.type === 'judged')) throw new NotFoundError();
    const assigned = doc.organisation.teams.some((t) => t.assigned.includes(upload.objectKey) && t.evaluators.includes(actor.id));
    if (actor.role !== 'admin' && !(actor.role === 'evaluator' && assigned)) throw new ForbiddenError();
  }
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
