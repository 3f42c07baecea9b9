import type { Db } from '../../db/client.ts';
import { sides } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { NotFoundError } from '../lib/errors.ts';
import { translator } from '../lib/i18n.ts';
import { parseInput, type FieldError } from '../lib/validation.ts';
import { getPairing, pairingIdsBySides, type PairingView } from '../pairings/pairings.service.ts';
import { findRegion, findRegionsByName } from '../regions/regions.service.ts';
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
const plain = (cell: string) => (/^'[=+\-@\t\r\n]/.test(cell) ? cell.slice(1) : cell).trim();

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
    if (/^\d{6}(\d{3}(\d{3})?)?$/.test(text))
      return findRegion(this.db, text) ? { ok: true, value: text } : { ok: false, error: { key: 'validation.regionUnknown' } };
    const parts = text.split(/\s*[/／>＞]\s*|\s+/).filter((p) => p !== '');
    if (parts.length > 1) {
      let parent: string | null = null;
      for (const part of parts) {
        const matches = findRegionsByName(this.db, part, parent);
        if (matches.length !== 1) return { ok: false, error: { key: 'import.row.regionPath', params: { part } } };
        parent = matches[0]!.code;
      }
      return { ok: true, value: parent! };
    }
    const matches = findRegionsByName(this.db, text);
    if (matches.length === 1) return { ok: true, value: matches[0]!.code };
    if (matches.length === 0) return { ok: false, error: { key: 'import.row.regionName' } };
    const candidates = matches
      .slice(0, 6)
      .map((r) => `${r.fullName.replace(/ /g, '/')}（${r.code}）`)
      .join('；');
    return { ok: false, error: { key: 'import.row.regionAmbiguous', params: { candidates } } };
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

function enumValue(column: Column, text: string): string {
  const f = column.field!;
  if (f.type !== 'enum') return text;
  return f.options.find((o) => o === text || zh(`enum.${f.enum}.${o}`) === text) ?? text;
}

/** Decodes one row; every problem of the row is reported, each with its column. */
export function decodeRow(
  sheet: SheetKind,
  columns: readonly (Column | undefined)[],
  cells: readonly string[],
  resolver: Resolver,
): DecodedRow {
  const problems: RowProblem[] = [];
  const at = new Map<string, number>();
  const problem = (i: number, error: FieldError) =>
    problems.push({
      column: columnLetter(i),
      label: columns[i]!.label,
      key: error.key,
      ...(error.params ? { params: error.params } : {}),
    });
  const body: Record<string, string> = {};
  let id: number | undefined;
  let pairingId: number | undefined;
  let assisting: string | undefined;
  let assisted: string | undefined;
  let pairingNamedBadly = false;
  columns.forEach((column, i) => {
    if (!column) return;
    const text = plain(cells[i] ?? '');
    at.set(column.field?.name ?? column.key, i);
    if (text === '' || column.role === 'state' || column.role === 'info' || column.role === 'error') return;
    if (column.role === 'id' || column.role === 'pairing') {
      const n = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) {
        pairingNamedBadly ||= column.role === 'pairing';
        return problem(i, { key: 'validation.invalid' });
      }
      if (column.role === 'id') id = n;
      else pairingId = n;
    } else if (column.role === 'assisting' || column.role === 'assisted') {
      const r = resolver.region(text);
      if (!r.ok) {
        pairingNamedBadly = true;
        return problem(i, r.error);
      }
      if (column.role === 'assisting') assisting = r.value;
      else assisted = r.value;
    } else if (column.role === 'side') {
      const side = sides.find((s) => s === text || zh(`side.${s}`) === text);
      if (!side)
        return problem(i, {
          key: 'import.row.enumChoices',
          params: { value: text, choices: sides.map((s) => zh(`side.${s}`)).join('、') },
        });
      body.side = side;
    } else {
      const f = column.field!;
      if (f.type === 'money') {
        body[f.name] = normaliseAmount(text, column.unit!);
        body[`${f.name}Unit`] = column.unit!;
      } else if (f.type === 'date') body[f.name] = normaliseDate(text);
      else if (f.type === 'enum') {
        const value = enumValue(column, text);
        // a spreadsheet offers no list to choose from: the message names what may be written
        if (!f.options.includes(value))
          return problem(i, {
            key: 'import.row.enumChoices',
            params: { value: text, choices: f.options.map((o) => zh(`enum.${f.enum}.${o}`)).join('、') },
          });
        body[f.name] = value;
      } else if (f.type === 'region') {
        const r = resolver.region(text);
        if (!r.ok) return problem(i, r.error);
        body[f.name] = r.value;
      } else body[f.name] = text;
    }
  });
  const parsed = parseInput(sheet.schema, body);
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
  const pairing = pairingNamedBadly || !sheet.needsPairing ? undefined : resolver.pairing(pairingId, assisting, assisted);
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
