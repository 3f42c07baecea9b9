import type { z } from 'zod';
import { AGREEMENT_FIELDS } from '../agreements/agreements.schema.ts';
import { schemaOf, type FieldDef } from '../lib/fields.ts';
import { translator } from '../lib/i18n.ts';
import { createSchema } from '../records/records.schema.ts';
import { formFields, type RecordKind } from '../records/records.kinds.ts';
import { PairingInput, pairingLevels, pairingStatuses, pairupKinds } from '../pairings/pairings.schema.ts';
import type { Column } from './exchange.columns.ts';

/**
 * What a spreadsheet holds, as the import and export see it: its sheet's name, the columns that
 * name the row (a record's id, its pairing), the fields of the domain's own form and the schema
 * that form parses with. Records take theirs from the record-kind registry, agreements from the
 * agreement form; nothing is restated here.
 */
export interface SheetKind {
  key: string;
  /** The sheet's name in a workbook, and the kind's name on pages. */
  label: string;
  fixed: Column[];
  fields: readonly FieldDef[];
  /** Shown on export, ignored on import (a transfer's confirmation is the other side's act). */
  state: readonly FieldDef[];
  schema: z.ZodType;
  /** Whether each row names a pairing it belongs to (a record, an agreement); a pairing's own row does not. */
  needsPairing: boolean;
}

const zh = translator('zh-CN');
const pairingColumns: Column[] = [
  { key: 'pairing', label: '结对编号', role: 'pairing' },
  { key: 'assisting', label: '帮扶方', role: 'assisting' },
  { key: 'assisted', label: '受援方', role: 'assisted' },
];

const recordSheets = new Map<RecordKind, SheetKind>();
export function recordSheet(kind: RecordKind): SheetKind {
  let sheet = recordSheets.get(kind);
  if (!sheet)
    recordSheets.set(
      kind,
      (sheet = {
        key: kind.key,
        label: zh(`records.kind.${kind.key}`),
        fixed: [{ key: 'id', label: '平台编号', role: 'id' }, ...pairingColumns, { key: 'side', label: '录入方', role: 'side' }],
        fields: formFields(kind),
        state: kind.stateFields ?? [],
        schema: createSchema(kind),
        needsPairing: true,
      }),
    );
  return sheet;
}

const AGREEMENT_SHEET_FIELDS: FieldDef[] = [
  { name: 'year', type: 'int', min: 1996, max: 2100, required: true },
  ...AGREEMENT_FIELDS,
];
export const AGREEMENT_SHEET: SheetKind = {
  key: 'agreements',
  label: zh('agreements.sheet'),
  fixed: pairingColumns,
  fields: AGREEMENT_SHEET_FIELDS,
  state: [],
  schema: schemaOf(AGREEMENT_SHEET_FIELDS),
  needsPairing: true,
};

/** A pairing's fields as its form has them (pairings.schema.ts parses them); an admin's zone exception stays on the form. */
const PAIRING_FIELDS: FieldDef[] = [
  { name: 'level', type: 'enum', options: pairingLevels, enum: 'pairingLevel', required: true },
  { name: 'pairupKind', type: 'enum', options: pairupKinds, enum: 'pairupKind' },
  { name: 'parentId', type: 'id' },
  { name: 'assistingCode', type: 'region', required: true },
  { name: 'assistingUnit', type: 'text', max: 100 },
  { name: 'assistedCode', type: 'region', required: true },
  { name: 'assistedUnit', type: 'text', max: 100 },
  { name: 'startYear', type: 'int', min: 1996, max: 2100, required: true },
  { name: 'endYear', type: 'int', min: 1996, max: 2100 },
  { name: 'status', type: 'enum', options: pairingStatuses, enum: 'pairingStatus' },
  { name: 'notes', type: 'textarea', max: 2000 },
];
export const PAIRING_SHEET: SheetKind = {
  key: 'pairings',
  label: zh('pairings.sheet'),
  fixed: [{ key: 'id', label: '平台编号', role: 'id' }],
  fields: PAIRING_FIELDS,
  state: [],
  schema: PairingInput,
  needsPairing: false,
};
