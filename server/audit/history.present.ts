import type { FieldDef } from '../lib/fields.ts';
import type { Translate } from '../lib/i18n.ts';
import type { MoneyUnit } from '../lib/money.ts';
import { displayValue } from '../lib/present.ts';
import type { Db } from '../../db/client.ts';
import { BOOKKEEPING, changedFields, historyOf, keptWhileLogStands } from './audit.service.ts';

/**
 * A thing's history as people read it: for each change, the fields it changed with their labels and
 * their values before and after, formatted as the detail page shows them (money in the reader's
 * unit, choices by name, regions by name). A new thing lists what it was created with. Codes and
 * the stored JSON stay in the audit table; the page never shows them.
 */
export interface HistoryRow {
  at: Date | number | string | null;
  action: string;
  actorName: string | null;
  before: unknown;
  after: unknown;
}

export interface HistoryLine {
  at: HistoryRow['at'];
  action: string;
  actorName: string | null;
  /** An update's changed fields: label, value before (`was`), value after (`now`); '' for empty. */
  changes: { label: string; was: string; now: string }[];
  /** A creation's non-empty fields; for a change, what only it carries (a correction's reason). */
  values: { label: string; value: string }[];
}

export interface HistoryFields {
  /** The thing's fields in form order (labels `field.<name>`; their types format the values). */
  fields: readonly FieldDef[];
  t: Translate;
  unit: MoneyUnit;
  /** Names of the regions the rows mention (region fields), by code. */
  regionNames?: ReadonlyMap<string, string>;
  /** A value shown another way than its field's type says (e.g. a pairing's level), or undefined. */
  nameOfChoice?: (name: string, value: unknown) => string | undefined;
}

/** Fields that are the system's bookkeeping, or shown by the action itself (deleted, confirmed). */
const UNSHOWN = new Set(['side', 'deletedAt', 'deletedBy', 'confirmedBy', 'confirmedAt']);

/** The region codes in region fields of the rows (to look their names up once). */
export function regionCodesIn(rows: readonly HistoryRow[], fields: readonly FieldDef[]): string[] {
  const names = fields.filter((f) => f.type === 'region').map((f) => f.name);
  const codes = new Set<string>();
  for (const row of rows)
    for (const side of [row.before, row.after])
      if (side && typeof side === 'object')
        for (const n of names) {
          const v = (side as Record<string, unknown>)[n];
          if (typeof v === 'string' && v !== '') codes.add(v);
        }
  return [...codes];
}

export function presentHistory(rows: readonly HistoryRow[], how: HistoryFields): HistoryLine[] {
  const byName = new Map(how.fields.map((f) => [f.name, f]));
  const show = (name: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return '';
    const special = how.nameOfChoice?.(name, value);
    if (special !== undefined) return special;
    if (typeof value === 'boolean') return how.t(value ? 'common.yes' : 'common.no');
    const field = byName.get(name);
    if (field?.type === 'region') {
      const code = String(value);
      const regionName = how.regionNames?.get(code);
      return regionName ? `${regionName}（${code}）` : code;
    }
    if (field) return displayValue(field, value, how.t, how.unit);
    // money outside the form (a transfer's confirmed amount): integer fen, by the schema's naming
    if (name.endsWith('Fen') && typeof value === 'number') return displayValue({ name, type: 'money' }, value, how.t, how.unit);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
  const label = (name: string) => how.t(`field.${name}`);
  return rows.map((row) => {
    const before = asObject(row.before);
    const after = asObject(row.after);
    const line: HistoryLine = { at: row.at, action: row.action, actorName: row.actorName, changes: [], values: [] };
    if (before && after) {
      line.changes = changedFields(before, after)
        .filter((name) => !UNSHOWN.has(name))
        .map((name) => ({ label: label(name), was: show(name, before[name]), now: show(name, after[name]) }));
      // what only the change carries (a correction's reason): its own line
      for (const name of Object.keys(after))
        if (!(name in before) && !UNSHOWN.has(name) && !BOOKKEEPING.has(name)) {
          const value = show(name, after[name]);
          if (value !== '') line.values.push({ label: label(name), value });
        }
    } else if (after && row.action === 'create') {
      for (const f of how.fields) {
        const value = show(f.name, after[f.name]);
        if (value !== '') line.values.push({ label: label(f.name), value });
      }
    }
    return line;
  });
}

function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * One thing's history, legible (the record and pairing pages). `regionNamesOf` names the regions
 * its rows mention, looked up once (the regions domain sits above this one).
 */
export function legibleHistory(
  db: Db,
  entity: string,
  entityId: string | number,
  how: Omit<HistoryFields, 'regionNames'> & {
    regionNamesOf: (codes: string[]) => ReadonlyMap<string, string>;
    /** The reader's language (the money unit is `unit`): the lines are kept per both. */
    locale: string;
  },
): readonly HistoryLine[] {
  // kept until the audit log grows (a change, a comment, a renamed user all add a row)
  return keptWhileLogStands(db, `history ${entity} ${entityId} ${how.locale} ${how.unit}`, () => {
    const rows = historyOf(db, entity, entityId);
    const codes = regionCodesIn(rows, how.fields);
    return Object.freeze(presentHistory(rows, { ...how, regionNames: codes.length ? how.regionNamesOf(codes) : undefined }));
  });
}
