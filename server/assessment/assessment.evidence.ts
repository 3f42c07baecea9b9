import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { hasObject } from './assessment.framework.ts';
import { decideInput, enforce, evidenceAction, seesObject } from './assessment.policy.ts';
import { yearBasis } from './assessment.basis.ts';
import * as q from './assessment.queries.ts';
import { canSee, getFramework } from './assessment.service.ts';
import { MAX_FILE_BYTES, cleanFileName, fileRefusal, isZip } from '../lib/uploads.ts';

export const MAX_EVIDENCE_BYTES = MAX_FILE_BYTES;

/** A zip's first bytes: .docx and .xlsx are zips, and are checked for zip bombs when they arrive. */
export { isZip };

export interface EvidenceUpload {
  objectKey: string;
  indicatorKey: string;
  filename: string;
  mime: string;
  data: Buffer;
}

/**
 * Stores a file behind a self-assessment (the object's office, at self-assessment) or behind a
 * judged score (an evaluator of a team assigned to the object, at cross-check).
 */
export function addEvidence(db: Db, actor: Actor, year: number, upload: EvidenceUpload) {
  const round = q.findRound(db, year);
  if (!round) throw new NotFoundError();
  const { doc } = getFramework(db, year);
  if (!hasObject(doc, upload.objectKey)) throw new NotFoundError();
  // the assessment policy decides: the object's office at self-assessment and feedback (behind an
  // objection), its team at cross-check (behind a judged score)
  const obj = yearBasis(db, year).facts(upload.objectKey);
  if (!seesObject(actor, doc, round.stage, obj)) throw new NotFoundError();
  const action = evidenceAction(round.stage);
  if (!action) throw new ConflictError('assessment.wrongStage');
  enforce(decideInput(actor, round.stage, obj, action));
  const indicator = doc.content.indicators.find((i) => i.key === upload.indicatorKey);
  if (upload.indicatorKey !== '' && !indicator) throw new NotFoundError();
  if (round.stage === 'crosscheck' && indicator?.rule.type !== 'judged') throw new NotFoundError();
  if (round.stage === 'feedback' && !indicator) throw new ValidationError({ file: { key: 'objection.indicatorRequired' } });
  const filename = cleanFileName(upload.filename, 'evidence');
  const refusal = fileRefusal(filename, upload.mime, upload.data);
  if (refusal) throw new ValidationError({ file: { key: `evidence.${refusal}` } });
  return db.transaction((tx) => {
    const row = q.insertEvidence(tx, {
      roundId: round.id,
      objectKey: upload.objectKey,
      indicatorKey: upload.indicatorKey,
      stage: round.stage as 'self' | 'crosscheck' | 'feedback',
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
  const round = yearBasis(db, year).round;
  return round ? q.listEvidence(db, round.id, objectKey) : [];
}

/** A file, for whoever may see its object's scorecard; anything else is 404. */
export function getEvidence(db: Db, actor: Actor, year: number, id: number) {
  const row = q.findEvidence(db, id);
  const round = q.findRound(db, year);
  if (!row || !round || row.roundId !== round.id || !canSee(db, actor, year, row.objectKey)) throw new NotFoundError();
  return row;
}
