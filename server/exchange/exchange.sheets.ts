import type { z } from 'zod';
import { AGREEMENT_FIELDS } from '../agreements/agreements.schema.ts';
import { schemaOf, type FieldDef } from '../lib/fields.ts';
import { translator } from '../lib/i18n.ts';
import { createSchema } from '../records/records.schema.ts';
import { RECORD_KINDS, formFields, isRecordKind, type RecordKind } from '../records/records.kinds.ts';
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
};

export const SHEET_KEYS = [...Object.keys(RECORD_KINDS), 'agreements'] as const;
export const isSheetKey = (key: unknown): key is string =>
  typeof key === 'string' && (SHEET_KEYS as readonly string[]).includes(key);

/** The sheet of a key ('funds' … 'consumption', 'agreements'), or undefined. */
export function sheetOf(key: unknown): SheetKind | undefined {
  if (key === 'agreements') return AGREEMENT_SHEET;
  return isRecordKind(key) ? recordSheet(RECORD_KINDS[key]) : undefined;
}
