import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { capabilitiesOf, getPairing, sideOf } from '../pairings/pairings.service.ts';
import { addComment, commentsOn } from '../comments/comments.service.ts';
import * as q from './agreements.queries.ts';
import { AGREEMENT_FIELDS, type SaveAgreementInput } from './agreements.schema.ts';
import type { FieldErrors } from '../lib/validation.ts';

export type { AgreementRow } from './agreements.queries.ts';
export { AGREEMENT_FIELDS };

/** An agreement with what the actor may do with it: the assisting side sets targets, the other side comments. */
export function getAgreement(db: Db, actor: Actor, pairingId: number, year: number) {
  const pairing = getPairing(db, actor, pairingId);
  const agreement = q.findAgreement(db, pairingId, year);
  const caps = capabilitiesOf(db, actor, pairing);
  return {
    pairing,
    agreement,
    can: { edit: caps.editAgreement, comment: caps.commentAgreement && agreement !== undefined },
    comments: agreement ? commentsOn(db, 'agreement', agreement.id) : [],
  };
}

export function commentOnAgreement(db: Db, actor: Actor, pairingId: number, year: number, body: unknown) {
  const { pairing, agreement, can } = getAgreement(db, actor, pairingId, year);
  if (!agreement) throw new NotFoundError();
  if (!can.comment) throw new ForbiddenError();
  return addComment(db, actor, { entity: 'agreement', entityId: agreement.id, pairingId }, sideOf(actor, pairing), body);
}

/** The agreements of a pairing the actor may read, by year (404 outside the actor's scope). */
export function listAgreements(db: Db, actor: Actor, pairingId: number) {
  const pairing = getPairing(db, actor, pairingId);
  return [...agreementsOf(db, pairing.id).values()];
}

export function agreementsOf(db: Db, pairingId: number) {
  return new Map(q.listAgreements(db, pairingId).map((a) => [a.year, a]));
}

/** What is wrong with an agreement for a pairing and year: a year the pairing was not in force, a signing date of another year. */
export function agreementErrors(
  pairing: { startYear: number; endYear: number | null },
  year: number,
  input: Record<string, unknown>,
): FieldErrors {
  const errors: FieldErrors = {};
  if (year < pairing.startYear || (pairing.endYear !== null && year > pairing.endYear))
    errors.year = { key: 'records.rule.yearOutsidePairing', params: { from: pairing.startYear, to: pairing.endYear ?? '—' } };
  if (typeof input.signedOn === 'string' && !input.signedOn.startsWith(`${year - 1}-`) && !input.signedOn.startsWith(`${year}-`))
    errors.signedOn = { key: 'agreements.rule.signedOn', params: { year } };
  return errors;
}

/** The column values of an agreement's targets (a target left out is none). */
export const agreementValues = (input: Record<string, unknown>) =>
  Object.fromEntries(AGREEMENT_FIELDS.map((f) => [f.name, input[f.name] ?? null]));

/** Creates or updates the agreement of a pairing and year (version 0 means "new"). */
export function saveAgreement(db: Db, actor: Actor, pairingId: number, year: number, input: SaveAgreementInput) {
  const pairing = getPairing(db, actor, pairingId);
  if (!capabilitiesOf(db, actor, pairing).editAgreement) throw new ForbiddenError('agreements.rule.assistingEdits');
  const errors = agreementErrors(pairing, year, input);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  const values = agreementValues(input);
  const existing = q.findAgreement(db, pairingId, year);
  return db.transaction((tx) => {
    if (existing) {
      if (!q.updateAgreementAt(tx, existing.id, input.version, values)) throw new ConflictError('conflict.stale');
      recordAudit(tx, {
        actorId: actorId(actor),
        action: 'update',
        entity: 'agreement',
        entityId: existing.id,
        pairingId,
        before: existing,
        after: values,
      });
      return existing.id;
    }
    if (input.version !== 0) throw new ConflictError('conflict.stale');
    const row = q.insertAgreement(tx, { ...values, pairingId, year, createdBy: actorId(actor) });
    recordAudit(tx, { actorId: actorId(actor), action: 'create', entity: 'agreement', entityId: row.id, pairingId, after: row });
    return row.id;
  });
}
