import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import type { ImportedChange, KeptPlan, RowPlan } from '../lib/bulk.ts';
import { ValidationError } from '../lib/errors.ts';
import { pairingsCapabilities, STRUCTURE_FIELDS } from './pairings.policy.ts';
import * as q from './pairings.queries.ts';
import { checkPairing, pairingRow } from './pairings.rules.ts';
import type { PairingInput } from './pairings.schema.ts';
import { canWrite, checkActor, scopePrefixOf, visibleTo } from './pairings.service.ts';

/**
 * Many pairings at once (an import): each row is planned with the rules of the pairing form
 * (pairings.rules.ts, the actor's scope and rights), then applied in the caller's one transaction
 * with an audit row naming the import. A row names its pairing by the platform's id or by its
 * natural key (level, sides and units, start year); an existing pairing's structure (level,
 * sides, parent) is not changed by an import — the pairing's own page does that, with its rules
 * for pairings in use — only its years, status and notes.
 */
const EDITABLE = ['startYear', 'endYear', 'status', 'notes'] as const;
const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || String(a ?? '') === String(b ?? '');

function actorErrors(actor: Actor, input: PairingInput, wasOutside?: boolean) {
  try {
    checkActor(actor, input, wasOutside);
    return undefined;
  } catch (e) {
    if (e instanceof ValidationError) return e.fields;
    throw e;
  }
}

/** The live pairing a row names, by id or natural key, within the actor's scope. */
function existingOf(db: Db, actor: Actor, input: PairingInput, id: number | undefined) {
  if (id !== undefined) return q.findLivePairing(db, id, scopePrefixOf(actor)) ?? null;
  const [found] = q.pairingIdsByKey(db, {
    level: input.level,
    assistingCode: input.assistingCode,
    assistedCode: input.assistedCode,
    assistingUnit: input.assistingUnit ?? null,
    assistedUnit: input.assistedUnit ?? null,
    startYear: input.startYear,
  });
  return found === undefined ? undefined : (q.findLivePairing(db, found, scopePrefixOf(actor)) ?? undefined);
}

export function planPairingRow(db: Db, actor: Actor, input: PairingInput, id: number | undefined): RowPlan {
  if (!pairingsCapabilities(actor).create) return { action: 'error', errors: { level: { key: 'errors.forbidden.body' } } };
  const existing = existingOf(db, actor, input, id);
  if (existing === null) return { action: 'error', errors: { id: { key: 'import.row.idUnknown' } } };
  const refused = actorErrors(actor, input, existing?.outsideZones);
  if (refused) return { action: 'error', errors: refused };
  if (!existing) {
    const { errors, parentId } = checkPairing(db, input, undefined, visibleTo(db, actor));
    if (Object.keys(errors).length > 0) return { action: 'error', errors };
    return { action: 'create', values: pairingRow(input, parentId) };
  }
  if (!canWrite(actor, existing)) return { action: 'error', errors: { assistingCode: { key: 'pairings.rule.notYourScope' } } };
  const visible = visibleTo(db, actor);
  const { errors, parentId } = checkPairing(db, input, existing.id, (pid) => pid === existing.parentId || visible(pid));
  if (Object.keys(errors).length > 0) return { action: 'error', errors };
  const after = pairingRow(input, input.parentId === undefined ? existing.parentId : parentId);
  const moved = STRUCTURE_FIELDS.find((f) => !same(existing[f], after[f]));
  if (moved) return { action: 'error', errors: { [moved]: { key: 'import.row.pairingStructure' } } };
  const values = Object.fromEntries(EDITABLE.map((f) => [f, after[f]]));
  const changed = EDITABLE.filter((f) => !same(existing[f], after[f]));
  if (changed.length === 0) return { action: 'unchanged', id: existing.id, version: existing.version };
  return { action: 'update', id: existing.id, version: existing.version, values, before: existing, changed };
}

export function keptPairingPlan(db: Db, kept: KeptPlan): RowPlan | undefined {
  if (kept.id === undefined) return { action: 'create', values: kept.values };
  const before = q.getPairingRow(db, kept.id);
  if (!before || before.deletedAt || before.version !== kept.version) return undefined;
  if (kept.unchanged) return { action: 'unchanged', id: kept.id, version: kept.version };
  return { action: 'update', id: kept.id, version: kept.version, values: kept.values, before, changed: [] };
}

/** The input a kept plan was made from (to plan it again): an update's pairing with the new values. */
export function keptPairingInput(db: Db, kept: KeptPlan): PairingInput | undefined {
  const base = kept.id === undefined ? {} : q.getPairingRow(db, kept.id);
  if (!base) return undefined;
  const merged = { ...base, ...kept.values } as Record<string, unknown>;
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== null)) as unknown as PairingInput;
}

export function applyPairingPlan(tx: Db, actor: Actor, plan: RowPlan, importId: number): number | undefined {
  const by = actorId(actor);
  if (plan.action === 'create') {
    const row = q.insertPairing(tx, plan.values as ReturnType<typeof pairingRow>);
    recordAudit(tx, {
      actorId: by,
      action: 'create',
      entity: 'pairing',
      entityId: row.id,
      pairingId: row.id,
      after: row,
      importId,
    });
    return row.id;
  }
  if (plan.action === 'update') {
    if (!q.updatePairingAt(tx, plan.id, plan.version, plan.values)) return undefined;
    const after = q.getPairingRow(tx, plan.id);
    recordAudit(tx, {
      actorId: by,
      action: 'update',
      entity: 'pairing',
      entityId: plan.id,
      pairingId: plan.id,
      before: plan.before,
      after,
      importId,
    });
    return plan.id;
  }
  return undefined;
}

/** Undoes one imported change while the pairing is as the import left it and, if created, nothing hangs on it. */
export function undoPairingChange(tx: Db, actor: Actor, change: ImportedChange, importId: number): boolean {
  const current = q.getPairingRow(tx, change.entityId);
  const after = change.after as { version: number } | null;
  if (!current || current.deletedAt || !after || current.version !== after.version) return false;
  const base = {
    actorId: actorId(actor),
    action: 'undo-import',
    entity: 'pairing',
    entityId: change.entityId,
    pairingId: change.entityId,
    importId,
  };
  if (change.action === 'create') {
    if (q.hasContent(tx, change.entityId)) return false;
    q.deletePairingRow(tx, change.entityId);
    recordAudit(tx, { ...base, before: current });
    return true;
  }
  const before = change.before as Record<string, unknown>;
  const restore = Object.fromEntries(EDITABLE.map((f) => [f, before[f] ?? null]));
  if (!q.updatePairingAt(tx, change.entityId, current.version, restore)) return false;
  recordAudit(tx, { ...base, before: current, after: q.getPairingRow(tx, change.entityId) });
  return true;
}
