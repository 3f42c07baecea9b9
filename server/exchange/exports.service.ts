import type { Db } from '../../db/client.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { translator } from '../lib/i18n.ts';
import { exportPairings, getPairing } from '../pairings/pairings.service.ts';
import type { ListPairingsInput } from '../pairings/pairings.schema.ts';
import { regionNames } from '../regions/regions.service.ts';
import {
  RECORD_KINDS,
  exportRecords,
  kindOf,
  type RecordFilter,
  type RecordKind,
  type RecordKindKey,
  type RecordRow,
  type PairingOfRecord,
} from '../records/records.service.ts';
import { exportColumns, type Column } from './exchange.columns.ts';
import { AGREEMENT_SHEET, PAIRING_SHEET, recordSheet } from './exchange.sheets.ts';
import { getAgreement } from '../agreements/agreements.service.ts';
import type { Cell, SheetSpec } from './exchange.write.ts';

/**
 * What an export holds: exactly the records a list's filters show within the actor's scope (read
 * by the records service), as cells of the import's own columns: amounts as numbers in 万元,
 * enums by their Chinese label, regions as codes with their names beside.
 */
export const MAX_EXPORT_ROWS = 100_000;
const zh = translator('zh-CN');
const FEN_PER_WAN = 1_000_000;

function cellOf(column: Column, record: RecordRow, pairing: PairingOfRecord, names: Map<string, string>): Cell {
  const v = record[column.field?.name ?? ''];
  switch (column.role) {
    case 'id':
      return record.id;
    case 'pairing':
      return record.pairingId;
    case 'assisting':
      return pairing.assistingCode;
    case 'assisted':
      return pairing.assistedCode;
    case 'side':
      return zh(`side.${String(record.side)}`);
    case 'info':
      if (column.key === 'assistingName') return pairing.assistingName;
      if (column.key === 'assistedName') return pairing.assistedName;
      return names.get(String(record[column.key.replace(/Name$/, '')] ?? '')) ?? '';
    case 'error':
      return '';
  }
  if (v === null || v === undefined) return null;
  const f = column.field!;
  switch (f.type) {
    case 'money':
      return Number(v) / (column.unit === 'wan' ? FEN_PER_WAN : 100);
    case 'int':
    case 'id':
      return Number(v);
    case 'enum':
      return zh(`enum.${f.enum}.${String(v)}`);
    default:
      return String(v);
  }
}

function sheetOf(db: Db, kind: RecordKind, records: Iterable<{ record: RecordRow; pairing: PairingOfRecord }>): SheetSpec {
  const sheet = recordSheet(kind);
  const columns = exportColumns(sheet);
  const regionFields = kind.fields.filter((f) => f.type === 'region').map((f) => f.name);
  // the names of the regions the rows name, looked up as they first appear
  const names = new Map<string, string>();
  function* rows() {
    for (const r of records) {
      for (const f of regionFields) {
        const code = String(r.record[f] ?? '');
        if (code && !names.has(code)) names.set(code, regionNames(db, [code]).get(code) ?? '');
      }
      yield columns.map((c) => cellOf(c, r.record, r.pairing, names));
    }
  }
  return { sheet, columns, rows: rows() };
}

/** The rows of a kind's list as filtered (all pages), within scope, read as they are written; and how many. */
export function exportList(db: Db, actor: Actor, kindKey: RecordKindKey, filter: RecordFilter): SheetSpec & { total: number } {
  const kind = kindOf(kindKey);
  const found = exportRecords(db, actor, kind.key, filter, MAX_EXPORT_ROWS);
  return { ...sheetOf(db, kind, found.rows()), total: found.total };
}

/**
 * A pairing's whole year: its agreement, then one sheet per record kind (404 outside scope, as
 * the pairing page). Each sheet imports back as it is.
 */
export function exportPairingYear(db: Db, actor: Actor, pairingId: number, year: number) {
  const pairing = getPairing(db, actor, pairingId);
  const sides: PairingOfRecord = {
    assistingCode: pairing.assistingCode,
    assistedCode: pairing.assistedCode,
    assistingName: pairing.assistingName,
    assistedName: pairing.assistedName,
    pairingLevel: pairing.level,
    pairingStart: pairing.startYear,
    pairingEnd: pairing.endYear,
  };
  const agreement = getAgreement(db, actor, pairingId, year).agreement;
  const columns = exportColumns(AGREEMENT_SHEET);
  const agreementSheet: SheetSpec = {
    sheet: AGREEMENT_SHEET,
    columns,
    rows: agreement ? [columns.map((c) => cellOf(c, agreement as unknown as RecordRow, sides, new Map()))] : [],
  };
  const sheets = Object.values(RECORD_KINDS).map((kind) =>
    sheetOf(db, kind, exportRecords(db, actor, kind.key, { pairingId, year }, MAX_EXPORT_ROWS).rows()),
  );
  return { pairing, sheets: [agreementSheet, ...sheets] };
}

/** The pairings a list's filters show, within scope, as the pairing sheet's rows (which import back). */
export function exportPairingList(db: Db, actor: Actor, filter: Partial<ListPairingsInput>): SheetSpec & { total: number } {
  const found = exportPairings(db, actor, filter);
  const columns = exportColumns(PAIRING_SHEET);
  function* rows() {
    for (const p of found.rows()) {
      const names = new Map([
        [p.assistingCode, p.assistingName],
        [p.assistedCode, p.assistedName],
      ]);
      yield columns.map((c) => cellOf(c, p as unknown as RecordRow, NO_PAIRING, names));
    }
  }
  return { sheet: PAIRING_SHEET, columns, rows: rows(), total: found.total };
}
const NO_PAIRING = {} as PairingOfRecord;

/** Who took which records out, with the filter and how many (an export is a read of many records at once). */
export function auditExport(db: Db, actor: Actor, what: string, details: Record<string, unknown>): void {
  recordAudit(db, { actorId: actorId(actor), action: 'export', entity: 'export', entityId: what, after: details });
}
