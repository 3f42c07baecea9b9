import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { NotFoundError, ValidationError } from '../lib/errors.ts';
import { cleanFileName, fileRefusal, MAX_FILE_BYTES } from '../lib/uploads.ts';
import { pairingSetWithin } from '../pairings/pairings.queries.ts';
import { scopePrefixOf } from '../pairings/pairings.scope.ts';
import { prefixRange } from '../regions/regions.service.ts';
import * as q from './records.files.queries.ts';
import { isRecordKind, RECORD_KINDS, type RecordKindKey } from './records.kinds.ts';
import { checkWritable, getRecord } from './records.service.ts';

/**
 * Files attached to a record (a transfer's voucher, a project's contract): the same types, size
 * and storage as the assessment's evidence (lib/uploads). The records policy decides: whoever may
 * edit the record attaches and removes its files (the flags of the edit and delete buttons),
 * whoever may see the record downloads them (the record is read within the actor's scope).
 */
export const MAX_FILES_PER_RECORD = 20;
/** What a multipart body may carry beside its file (boundaries, headers, the form's few fields). */
const ENVELOPE_BYTES = 64 * 1024;

export interface FileUpload {
  filename: string;
  mime: string;
  data: Buffer;
}

type FoundRecord = ReturnType<typeof getRecord>;

const entity = (kind: RecordKindKey) => `record.${kind}`;

/**
 * Before a byte of the body is read: the record exists within the actor's scope (else 404), the
 * actor may edit it (else 403, or 409 when its year is locked), and the body it announces and the
 * record's files leave room for one more. Returns why the upload is refused (an i18n key) or
 * undefined; the record, for the answer's address.
 */
export function checkAttach(db: Db, actor: Actor, kindKey: RecordKindKey, recordId: number, announcedBytes: number) {
  const found = getRecord(db, actor, kindKey, recordId);
  checkWritable(found, 'edit');
  if (announcedBytes > MAX_FILE_BYTES + ENVELOPE_BYTES) return 'recordFiles.tooLarge';
  if (q.countFiles(db, kindKey, recordId) >= MAX_FILES_PER_RECORD) return 'recordFiles.tooMany';
  return undefined;
}

/** Stores a file on a record the actor may edit, with its audit row. */
export function attachFile(db: Db, actor: Actor, kindKey: RecordKindKey, recordId: number, upload: FileUpload) {
  const found = getRecord(db, actor, kindKey, recordId);
  checkWritable(found, 'edit');
  const filename = cleanFileName(upload.filename, 'file');
  const refusal = fileRefusal(filename, upload.mime, upload.data);
  if (refusal) throw new ValidationError({ file: { key: `recordFiles.${refusal}` } });
  return db.transaction((tx) => {
    if (q.countFiles(tx, kindKey, recordId) >= MAX_FILES_PER_RECORD)
      throw new ValidationError({ file: { key: 'recordFiles.tooMany', params: { max: MAX_FILES_PER_RECORD } } });
    const row = q.insertFile(tx, {
      recordKind: kindKey,
      recordId,
      userId: actor.id,
      filename,
      mime: upload.mime,
      size: upload.data.length,
      data: upload.data,
    });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'attach',
      entity: entity(kindKey),
      entityId: recordId,
      pairingId: found.record.pairingId,
      // the file named only after: the record's history lists it as what this change carries
      before: { side: found.record.side },
      after: { side: found.record.side, file: filename },
    });
    return row;
  });
}

/** A record's files as its page lists them (the record already read within the actor's scope). */
export function filesOnRecord(db: Db, found: FoundRecord) {
  return q.listFiles(db, found.kind.key, found.record.id);
}

/** A file with its bytes, for whoever may see its record; anything else is 404. */
export function getRecordFile(db: Db, actor: Actor, kindKey: RecordKindKey, recordId: number, fileId: number) {
  const found = getRecord(db, actor, kindKey, recordId);
  const file = q.findFile(db, kindKey, recordId, fileId);
  if (!file) throw new NotFoundError();
  return { found, file };
}

/** Removes a file from a record the actor may delete from (its owner side), with its audit row. */
export function removeFile(db: Db, actor: Actor, kindKey: RecordKindKey, recordId: number, fileId: number) {
  const found = getRecord(db, actor, kindKey, recordId);
  const file = q.findFile(db, kindKey, recordId, fileId);
  if (!file) throw new NotFoundError();
  checkWritable(found, 'delete');
  db.transaction((tx) => {
    q.deleteFile(tx, file.id);
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'detach',
      entity: entity(kindKey),
      entityId: recordId,
      pairingId: found.record.pairingId,
      before: { side: found.record.side, file: file.filename },
      after: { side: found.record.side, file: null },
    });
  });
  return file.filename;
}

export interface RecordFileLink {
  recordKind: RecordKindKey;
  recordId: number;
  fileId: number;
  filename: string;
  href: string;
}

/**
 * The files of the records of a year under some pairings (given by id, or every pairing with a side
 * within a region prefix), of some record kinds (all by default), as far as the actor may see
 * them: for a scorecard's "why" panel to link to the files behind a measure.
 */
export function filesOfRecords(
  db: Db,
  actor: Actor,
  what: { pairingIds?: readonly number[]; regionPrefix?: string; year: number; kinds?: readonly string[] },
): RecordFileLink[] {
  const json = what.pairingIds
    ? JSON.stringify(what.pairingIds.filter((id) => Number.isSafeInteger(id)))
    : pairingSetWithin(db, null, what.regionPrefix).json;
  const prefix = scopePrefixOf(actor);
  const scope = prefix === null ? null : prefixRange(prefix);
  const kinds = (what.kinds ?? Object.keys(RECORD_KINDS)).filter(isRecordKind);
  return kinds.flatMap((kind) =>
    q.filesOfPairings(db, kind, RECORD_KINDS[kind].table, json, what.year, scope).map((f) => ({
      recordKind: kind,
      recordId: f.recordId,
      fileId: f.id,
      filename: f.filename,
      href: `/records/${kind}/${f.recordId}/files/${f.id}`,
    })),
  );
}
