import type { Db, DbOrTx } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import type { ImportedChange, KeptPlan, RowPlan } from '../lib/bulk.ts';
import { capabilitiesOf, type PairingView } from '../pairings/pairings.service.ts';
import * as q from './agreements.queries.ts';
import { AGREEMENT_FIELDS } from './agreements.schema.ts';
import { agreementErrors, agreementValues } from './agreements.service.ts';

/**
 * Many agreements at once (an import): each row is planned with the rules of the agreement form
 * (agreements.service.ts) and the pairing policy's right to set targets, then applied in the
 * caller's one transaction with an audit row naming the import. The natural key is the pairing
 * and the year: one agreement each.
 */
const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

export function planAgreementRow(
  db: Db,
  actor: Actor,
  pairing: PairingView,
  input: Record<string, unknown> & { year: number },
): RowPlan {
  if (!capabilitiesOf(db, actor, pairing).editAgreement)
    return { action: 'error', errors: { pairing: { key: 'agreements.rule.assistingEdits' } } };
  const errors = agreementErrors(pairing, input.year, input);
  if (Object.keys(errors).length > 0) return { action: 'error', errors };
  const values = agreementValues(input);
  const existing = q.findAgreement(db, pairing.id, input.year);
  if (!existing) return { action: 'create', values: { ...values, pairingId: pairing.id, year: input.year } };
  const changed = AGREEMENT_FIELDS.map((f) => f.name).filter((f) => !same(values[f], existing[f as keyof typeof existing]));
  if (changed.length === 0) return { action: 'unchanged', id: existing.id, version: existing.version };
  return { action: 'update', id: existing.id, version: existing.version, values, before: existing, changed };
}

/** A kept plan as it applies now: an update only over the agreement's version as planned. */
export function keptAgreementPlan(db: DbOrTx, kept: KeptPlan): RowPlan | undefined {
  if (kept.id === undefined) return { action: 'create', values: kept.values };
  const before = q.findAgreementById(db, kept.id);
  if (!before || before.version !== kept.version) return undefined;
  if (kept.unchanged) return { action: 'unchanged', id: kept.id, version: kept.version };
  return { action: 'update', id: kept.id, version: kept.version, values: kept.values, before, changed: [] };
}

/** The pairing and year a kept plan is for (to plan it again). */
export function keptAgreementKey(db: DbOrTx, kept: KeptPlan): { pairingId: number; year: number } | undefined {
  if (kept.id === undefined) return { pairingId: Number(kept.values.pairingId), year: Number(kept.values.year) };
  const row = q.findAgreementById(db, kept.id);
  return row ? { pairingId: row.pairingId, year: row.year } : undefined;
}

export function applyAgreementPlan(tx: Db, actor: Actor, plan: RowPlan, importId: number): number | undefined {
  const by = actorId(actor);
  if (plan.action === 'create') {
    const row = q.insertAgreement(tx, { ...(plan.values as typeof q.agreementsTable.$inferInsert), createdBy: by });
    recordAudit(tx, {
      actorId: by,
      action: 'create',
      entity: 'agreement',
      entityId: row.id,
      pairingId: row.pairingId,
      after: row,
      importId,
    });
    return row.id;
  }
  if (plan.action === 'update') {
    if (!q.updateAgreementAt(tx, plan.id, plan.version, plan.values)) return undefined;
    const after = q.findAgreementById(tx, plan.id);
    const pairingId = Number(plan.before.pairingId);
    recordAudit(tx, {
      actorId: by,
      action: 'update',
      entity: 'agreement',
      entityId: plan.id,
      pairingId,
      before: plan.before,
      after,
      importId,
    });
    return plan.id;
  }
  return undefined;
}

/** Undoes one imported change while the agreement is as the import left it; false when a later edit touched it. */
export function undoAgreementChange(tx: Db, actor: Actor, change: ImportedChange, importId: number): boolean {
  const current = q.findAgreementById(tx, change.entityId);
  const after = change.after as { version: number } | null;
  if (!current || !after || current.version !== after.version) return false;
  const by = actorId(actor);
  const base = {
    actorId: by,
    action: 'undo-import',
    entity: 'agreement',
    entityId: change.entityId,
    pairingId: current.pairingId,
    importId,
  };
  if (change.action === 'create') {
    q.deleteAgreementRow(tx, change.entityId);
    recordAudit(tx, { ...base, before: current });
    return true;
  }
  const before = change.before as Record<string, unknown>;
  const restore = Object.fromEntries(AGREEMENT_FIELDS.map((f) => [f.name, before[f.name] ?? null]));
  if (!q.updateAgreementAt(tx, change.entityId, current.version, restore)) return false;
  recordAudit(tx, { ...base, before: current, after: q.findAgreementById(tx, change.entityId) });
  return true;
}
