import type { Db } from '../../db/client.ts';
import { sides, type Side } from '../../db/schema/index.ts';
import { lockedSides } from '../reports/reports.service.ts';
import type { Actor } from '../lib/actor.ts';
import { NotFoundError } from '../lib/errors.ts';
import { translator } from '../lib/i18n.ts';
import { parseInput, type FieldError } from '../lib/validation.ts';
import { getPairing, pairingIdsBySides, type PairingView } from '../pairings/pairings.service.ts';
import { pickRegion } from '../regions/regions.service.ts';
import { columnLetter, type Column } from './exchange.columns.ts';
import type { SheetKind } from './exchange.sheets.ts';

/**
 * One data row of a spreadsheet → the pairing it belongs to, the record it names (by id) and the
 * form input the records service checks. Cells speak as users write: regions by code, by name path
 * or by a unique name; enum values by their Chinese label or key; dates in the usual forms.
 */
export interface RowProblem {
  column: string;
  label: string;
  key: string;
  params?: Record<string, string | number>;
}

export interface DecodedRow {
  pairing?: PairingView;
  id?: number;
  /** The form's values as its schema parsed them (a record's, an agreement's). */
  input?: Record<string, unknown> & { year: number };
  problems: RowProblem[];
}

const zh = translator('zh-CN');
type Resolved<T> = { ok: true; value: T } | { ok: false; error: FieldError };

/** "'=x" as written by an export (the neutralising apostrophe) → "=x"; other text trimmed. */
const plain = (cell: string) => (cell.charCodeAt(0) === 39 && /^'[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell).trim();

/** ISO date from 2024-06-01, 2024/6/1, 2024.6.1, 2024年6月1日 (anything else is left for the schema to refuse). */
export function normaliseDate(text: string): string {
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  // an Excel date serial (a date cell in a format the reader does not know as a date, such as 2024年6月1日)
  if (/^\d{5}(\.\d+)?$/.test(text)) {
    const serial = Math.floor(Number(text));
    if (serial > 35_000 && serial < 80_000)
      return new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000).toISOString().slice(0, 10);
  }
  return text;
}

/**
 * An amount as a spreadsheet computed it (3.3000000000000003): rounded to what the unit can hold
 * when the digits past it are only the binary fraction's noise; any other excess stays, for the
 * amount's check to refuse.
 */
export function normaliseAmount(text: string, unit: 'yuan' | 'wan'): string {
  const decimals = unit === 'wan' ? 6 : 2;
  const m = /^\d+\.(\d+)$/.exec(text);
  if (!m || m[1]!.length <= decimals || m[1]!.length < 12) return text;
  const rounded = Number(text).toFixed(decimals);
  return Math.abs(Number(rounded) - Number(text)) < 1e-9 * Math.max(1, Number(text)) ? rounded : text;
}

/** Region and pairing lookups, kept for the length of one import (a file names the same few pairs over and over). */
export class Resolver {
  private regions = new Map<string, Resolved<string>>();
  private pairs = new Map<string, Resolved<PairingView>>();
  private locks = new Map<string, Side[]>();
  constructor(
    private db: Db,
    private actor: Actor,
  ) {}

  region(text: string): Resolved<string> {
    let found = this.regions.get(text);
    if (!found) this.regions.set(text, (found = this.lookupRegion(text)));
    return found;
  }

  private lookupRegion(text: string): Resolved<string> {
    const picked = pickRegion(this.db, text);
    if (picked.ok) return { ok: true, value: picked.code };
    if (picked.reason === 'path') return { ok: false, error: { key: 'import.row.regionPath', params: { part: picked.part } } };
    if (picked.reason === 'unknown')
      return { ok: false, error: { key: /^\d+$/.test(text) ? 'validation.regionUnknown' : 'import.row.regionName' } };
    const candidates = picked.candidates
      .slice(0, 6)
      .map((r) => `${r.fullName.replace(/ /g, '/')}（${r.code}）`)
      .join('；');
    return { ok: false, error: { key: 'import.row.regionAmbiguous', params: { candidates } } };
  }

  /** The sides whose report of the year locks their records (reports.service.ts), asked once per pairing and year. */
  lockedSides(pairingId: number, year: number): Side[] {
    const key = `${pairingId} ${year}`;
    let found = this.locks.get(key);
    if (!found) this.locks.set(key, (found = lockedSides(this.db, pairingId, year)));
    return found;
  }

  pairing(id: number | undefined, assisting: string | undefined, assisted: string | undefined): Resolved<PairingView> {
    const key = `${id ?? ''} ${assisting ?? ''} ${assisted ?? ''}`;
    let found = this.pairs.get(key);
    if (!found) this.pairs.set(key, (found = this.lookupPairing(id, assisting, assisted)));
    return found;
  }

  private lookupPairing(
    id: number | undefined,
    assisting: string | undefined,
    assisted: string | undefined,
  ): Resolved<PairingView> {
    let ids: number[];
    if (id !== undefined) ids = [id];
    else if (assisting && assisted) ids = pairingIdsBySides(this.db, assisting, assisted);
    else return { ok: false, error: { key: 'import.row.noPairing' } };
    const visible = ids.flatMap((i) => {
      try {
        return [getPairing(this.db, this.actor, i)];
      } catch (e) {
        if (e instanceof NotFoundError) return [];
        throw e;
      }
    });
    if (visible.length === 0) return { ok: false, error: { key: 'import.row.pairingUnknown' } };
    if (visible.length > 1)
      return { ok: false, error: { key: 'import.row.pairingAmbiguous', params: { ids: visible.map((p) => p.id).join('、') } } };
    const pairing = visible[0]!;
    if (
      id !== undefined &&
      ((assisting && assisting !== pairing.assistingCode) || (assisted && assisted !== pairing.assistedCode))
    )
      return { ok: false, error: { key: 'import.row.pairingMismatch' } };
    return { ok: true, value: pairing };
  }
}

/** What one cell adds to a row: a form value, the row's id, pairing or side regions, or a problem. */
type CellResult = { error: FieldError } | undefined;
interface RowState {
  body: Record<string, string>;
  id?: number;
  pairingId?: number;
  assisting?: string;
  assisted?: string;
  pairingNamedBadly: boolean;
}
type CellReader = (text: string, row: RowState) => CellResult;

/** How one column's text is read, decided once per import from the column alone. */
function cellReader(column: Column, resolver: Resolver): CellReader | undefined {
  const role = column.role;
  if (role === 'state' || role === 'info' || role === 'error') return undefined;
  if (role === 'id' || role === 'pairing')
    return (text, row) => {
      const n = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) {
        row.pairingNamedBadly ||= role === 'pairing';
        return { error: { key: 'validation.invalid' } };
      }
      if (role === 'id') row.id = n;
      else row.pairingId = n;
      return undefined;
    };
  if (role === 'assisting' || role === 'assisted')
    return (text, row) => {
      const r = resolver.region(text);
      if (!r.ok) {
        row.pairingNamedBadly = true;
        return { error: r.error };
      }
      row[role] = r.value;
      return undefined;
    };
  if (role === 'side') {
    const choices = sides.map((s) => zh(`side.${s}`)).join('、');
    return (text, row) => {
      const side = sides.find((s) => s === text || zh(`side.${s}`) === text);
      if (!side) return { error: { key: 'import.row.enumChoices', params: { value: text, choices } } };
      row.body.side = side;
      return undefined;
    };
  }
  const f = column.field!;
  const name = f.name;
  if (f.type === 'money') {
    const unit = column.unit!;
    return (text, row) => {
      row.body[name] = normaliseAmount(text, unit);
      row.body[`${name}Unit`] = unit;
      return undefined;
    };
  }
  if (f.type === 'date')
    return (text, row) => {
      row.body[name] = normaliseDate(text);
      return undefined;
    };
  if (f.type === 'enum') {
    // a spreadsheet offers no list to choose from: the message names what may be written
    const byText = new Map<string, string>();
    for (const o of f.options) byText.set(zh(`enum.${f.enum}.${o}`), o);
    for (const o of f.options) byText.set(o, o);
    const choices = f.options.map((o) => zh(`enum.${f.enum}.${o}`)).join('、');
    return (text, row) => {
      const value = byText.get(text);
      if (value === undefined) return { error: { key: 'import.row.enumChoices', params: { value: text, choices } } };
      row.body[name] = value;
      return undefined;
    };
  }
  if (f.type === 'region')
    return (text, row) => {
      const r = resolver.region(text);
      if (!r.ok) return { error: r.error };
      row.body[name] = r.value;
      return undefined;
    };
  return (text, row) => {
    row.body[name] = text;
    return undefined;
  };
}

/**
 * The decoder of one import's rows, its columns' readers built once from the header. Each row
 * gives every problem it has, each with its column.
 */
export function rowDecoder(
  sheet: SheetKind,
  columns: readonly (Column | undefined)[],
  resolver: Resolver,
): (cells: readonly string[]) => DecodedRow {
  const readers = columns.map((c) => (c ? cellReader(c, resolver) : undefined));
  const at = new Map<string, number>();
  columns.forEach((c, i) => c && at.set(c.field?.name ?? c.key, i));
  return (cells) => {
    const problems: RowProblem[] = [];
    const problem = (i: number, error: FieldError) =>
      problems.push({
        column: columnLetter(i),
        label: columns[i]!.label,
        key: error.key,
        ...(error.params ? { params: error.params } : {}),
      });
    const row: RowState = { body: {}, pairingNamedBadly: false };
    for (let i = 0; i < readers.length; i++) {
      const read = readers[i];
      if (!read) continue;
      const text = plain(cells[i] ?? '');
      if (text === '') continue;
      const result = read(text, row);
      if (result) problem(i, result.error);
    }
    const parsed = parseInput(sheet.schema, row.body);
    if (!parsed.ok) {
      for (const [field, error] of Object.entries(parsed.errors)) {
        const i = at.get(field);
        if (i !== undefined) problem(i, error);
        else
          problems.push({
            column: '',
            label: zh(`field.${field}`),
            key: error.key,
            ...(error.params ? { params: error.params } : {}),
          });
      }
    }
    const { id, pairingId } = row;
    const pairing =
      row.pairingNamedBadly || !sheet.needsPairing ? undefined : resolver.pairing(pairingId, row.assisting, row.assisted);
    if (pairing && !pairing.ok) {
      const i = at.get(pairingId !== undefined ? 'pairing' : 'assisted') ?? at.get('pairing') ?? 0;
      problem(i, pairing.error);
    }
    return {
      ...(pairing?.ok ? { pairing: pairing.value } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(parsed.ok ? { input: parsed.data as Record<string, unknown> & { year: number } } : {}),
      problems,
    };
  };
}

/** Where a field's problem (from the records service) shows: its column, or the row. */
export function fieldProblem(columns: readonly (Column | undefined)[], field: string, error: FieldError): RowProblem {
  const i = columns.findIndex((c) => c && (c.field?.name ?? c.key) === field);
  return {
    column: i >= 0 ? columnLetter(i) : '',
    label: i >= 0 ? columns[i]!.label : zh(`field.${field}`),
    key: error.key,
    ...(error.params ? { params: error.params } : {}),
  };
}
