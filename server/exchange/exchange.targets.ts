import type { Db } from '../../db/client.ts';
import type { Side } from '../../db/schema/index.ts';
import {
  applyAgreementPlan,
  keptAgreementKey,
  keptAgreementPlan,
  planAgreementRow,
  undoAgreementChange,
} from '../agreements/agreements.bulk.ts';
import type { Actor } from '../lib/actor.ts';
import type { ImportedChange, KeptPlan, RowPlan } from '../lib/bulk.ts';
import { applyRowPlan, keptRowPlan, planRecordRow, recordPairing, undoChange } from '../records/records.bulk.ts';
import { RECORD_KINDS, isRecordKind, type RecordInput, type RecordKind } from '../records/records.kinds.ts';
import type { DecodedRow, Resolver } from './exchange.rows.ts';
import { AGREEMENT_SHEET, PAIRING_SHEET, recordSheet, type SheetKind } from './exchange.sheets.ts';
import {
  applyPairingPlan,
  keptPairingInput,
  keptPairingPlan,
  planPairingRow,
  undoPairingChange,
} from '../pairings/pairings.bulk.ts';
import type { PairingInput } from '../pairings/pairings.schema.ts';

/**
 * What an import can bring in, each planned and applied by its own domain (records.bulk.ts,
 * agreements.bulk.ts): the import service only reads files, stores outcomes and runs the
 * transaction. A row's natural key — a record's id or its ledger number within the pairing, an
 * agreement's pairing and year — decides between create and update, never a guess.
 */
/** A decoded row without problems: its input, and its pairing where the sheet names one. */
type PlannedRow = DecodedRow & Required<Pick<DecodedRow, 'input'>>;

export interface ImportTarget {
  sheet: SheetKind;
  /** One row's plan, from its decoded values (the pairing and input are there). */
  plan(db: Db, actor: Actor, row: PlannedRow, resolver: Resolver): RowPlan;
  /**
   * What the row claims within the file — the record it names, the natural key it will hold — each
   * with the column to blame: two rows claiming the same are an error.
   */
  identity(row: PlannedRow, plan: RowPlan): { key: string; field: string }[];
  /** A dry run's plan as it applies now (undefined: it no longer holds). */
  kept(db: Db, kept: KeptPlan): RowPlan | undefined;
  /** A dry run's create or update made again from its values with the same rules (the structure or the actor changed). */
  again(db: Db, actor: Actor, kept: KeptPlan, resolver: Resolver): RowPlan | undefined;
  apply(db: Db, actor: Actor, plan: RowPlan, importId: number): number | undefined;
  undo(db: Db, actor: Actor, change: ImportedChange, importId: number): boolean;
  /** Where the page of an imported row's record is, if it has one of its own. */
  link?: (id: number) => string;
}

const withoutNulls = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));

function recordTarget(kind: RecordKind): ImportTarget {
  return {
    sheet: recordSheet(kind),
    plan: (db, actor, row, resolver) =>
      planRecordRow(db, actor, kind, row.pairing!, row.input as RecordInput & { side?: Side }, row.id, (year) =>
        resolver.lockedSides(row.pairing!.id, year),
      ),
    identity(row, plan) {
      const claims: { key: string; field: string }[] = [];
      if (plan.action === 'update' || plan.action === 'unchanged')
        claims.push({ key: `record ${plan.id}`, field: row.id ? 'id' : 'ref' });
      // the ledger number the record will hold (an update may give it a new one)
      if (typeof row.input.ref === 'string') claims.push({ key: `ref ${row.pairing!.id} ${row.input.ref}`, field: 'ref' });
      return claims;
    },
    kept: (db, kept) => keptRowPlan(db, kind, kept),
    again(db, actor, kept, resolver) {
      const pairingId = kept.id === undefined ? Number(kept.values.pairingId) : recordPairing(db, kind, kept.id);
      const pairing = pairingId === undefined ? undefined : resolver.pairing(pairingId, undefined, undefined);
      if (!pairing?.ok) return undefined;
      const input = withoutNulls(kept.values) as RecordInput;
      return planRecordRow(db, actor, kind, pairing.value, input, kept.id, (year) =>
        resolver.lockedSides(pairing.value.id, year),
      );
    },
    apply: (db, actor, plan, importId) => applyRowPlan(db, actor, kind, plan, importId),
    undo: (db, actor, change, importId) => undoChange(db, actor, kind, change, importId),
    link: (id) => `/records/${kind.key}/${id}`,
  };
}

const agreementTarget: ImportTarget = {
  sheet: AGREEMENT_SHEET,
  plan: (db, actor, row) => planAgreementRow(db, actor, row.pairing!, row.input),
  identity: (row) => [{ key: `agreement ${row.pairing!.id} ${row.input.year}`, field: 'year' }],
  kept: (db, kept) => keptAgreementPlan(db, kept),
  again(db, actor, kept, resolver) {
    const key = keptAgreementKey(db, kept);
    const pairing = key ? resolver.pairing(key.pairingId, undefined, undefined) : undefined;
    if (!key || !pairing?.ok) return undefined;
    return planAgreementRow(db, actor, pairing.value, { ...withoutNulls(kept.values), year: key.year });
  },
  apply: (db, actor, plan, importId) => applyAgreementPlan(db, actor, plan, importId),
  undo: (db, actor, change, importId) => undoAgreementChange(db, actor, change, importId),
};

const pairingTarget: ImportTarget = {
  sheet: PAIRING_SHEET,
  plan: (db, actor, row) => planPairingRow(db, actor, row.input as unknown as PairingInput, row.id),
  identity(row, plan) {
    const i = row.input as unknown as PairingInput;
    const natural = `pairing ${i.level} ${i.assistingCode} ${i.assistingUnit ?? ''} ${i.assistedCode} ${i.assistedUnit ?? ''} ${i.startYear}`;
    const claims = [{ key: natural, field: 'assistedCode' }];
    if (plan.action === 'update' || plan.action === 'unchanged') claims.push({ key: `pairing ${plan.id}`, field: 'id' });
    return claims;
  },
  kept: (db, kept) => keptPairingPlan(db, kept),
  again(db, actor, kept) {
    const input = keptPairingInput(db, kept);
    return input ? planPairingRow(db, actor, input, kept.id) : undefined;
  },
  apply: (db, actor, plan, importId) => applyPairingPlan(db, actor, plan, importId),
  undo: (db, actor, change, importId) => undoPairingChange(db, actor, change, importId),
  link: (id) => `/pairings/${id}`,
};

const targets = new Map<string, ImportTarget>([
  ['pairings', pairingTarget],
  ['agreements', agreementTarget],
  ...Object.values(RECORD_KINDS).map((k) => [k.key, recordTarget(k)] as const),
]);

/** The target of a key ('funds' … 'consumption', 'agreements'). */
export function targetOf(key: string): ImportTarget {
  const target = targets.get(key);
  if (!target) throw new Error(`no import target ${key}`);
  return target;
}

export const isTargetKey = (key: unknown): key is string => typeof key === 'string' && (targets.has(key) || isRecordKind(key));
export const TARGET_KEYS = [...targets.keys()];
