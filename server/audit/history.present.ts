import type { FieldDef } from '../lib/fields.ts';
import type { Translate } from '../lib/i18n.ts';
import type { MoneyUnit } from '../lib/money.ts';
import { displayValue, formatDateTime } from '../lib/present.ts';
import type { Db } from '../../db/client.ts';
import { BOOKKEEPING, changedFields, historyPageOf, keptWhileLogStands } from './audit.service.ts';

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
  /** The import that made the change, if one did. */
  importId?: number | null;
}

export interface HistoryLine {
  at: HistoryRow['at'];
  action: string;
  actorName: string | null;
  /** The import that made the change (the line says so), or null. */
  importId: number | null;
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
  /** The label's key of a field, when its form names it otherwise than `field.<name>` (a user's). */
  labelKey?: (name: string) => string;
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
    // a region by its name (its code only when the region is unknown: a name cannot be made up)
    if (field?.type === 'region') return how.regionNames?.get(String(value)) ?? String(value);
    // money as the forms read it: in the reader's unit, with that unit
    const money = (fen: unknown) =>
      how.t('history.money', {
        amount: displayValue({ name, type: 'money' }, fen, how.t, how.unit),
        unit: how.t(`money.${how.unit}`),
      });
    if (field?.type === 'money') return money(value);
    if (field) return displayValue(field, value, how.t, how.unit);
    // money outside the form (a transfer's confirmed amount): integer fen, by the schema's naming
    if (name.endsWith('Fen') && typeof value === 'number') return money(value);
    // a moment outside the form (kept as milliseconds or an ISO text): China's date and time
    if (name.endsWith('At') && (typeof value === 'number' || typeof value === 'string')) {
      const at = new Date(value);
      return Number.isNaN(at.getTime()) ? '' : formatDateTime(at);
    }
    return String(value);
  };
  // a field without a label of the reader's language, or holding a structure, is not one people read
  const label = (name: string): string | undefined => {
    const key = how.labelKey?.(name) ?? `field.${name}`;
    const text = how.t(key);
    return text === key ? undefined : text;
  };
  const readable = (name: string, ...values: unknown[]) =>
    !UNSHOWN.has(name) && !BOOKKEEPING.has(name) && values.every((v) => typeof v !== 'object' || v === null) && label(name);
  return rows.map((row) => {
    const before = asObject(row.before);
    const after = asObject(row.after);
    const line: HistoryLine = {
      at: row.at,
      action: row.action,
      actorName: row.actorName,
      importId: row.importId ?? null,
      changes: [],
      values: [],
    };
    if (before && after) {
      for (const name of changedFields(before, after)) {
        const text = readable(name, before[name], after[name]);
        if (text) line.changes.push({ label: text, was: show(name, before[name]), now: show(name, after[name]) });
      }
      // what only the change carries (a correction's reason): its own line
      for (const name of Object.keys(after)) {
        const text = !(name in before) && readable(name, after[name]);
        const value = text ? show(name, after[name]) : '';
        if (text && value !== '') line.values.push({ label: text, value });
      }
    } else if (after && row.action === 'create') {
      for (const f of how.fields) {
        const text = readable(f.name, after[f.name]);
        const value = text ? show(f.name, after[f.name]) : '';
        if (text && value !== '') line.values.push({ label: text, value });
      }
    }
    return line;
  });
}

function asObject(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/** A history's page links: absent when it fits on one page. */
export interface HistoryPager {
  page: number;
  pages: number;
  total: number;
}

/**
 * One thing's history, legible, newest first, 25 changes a page (the record, agreement and user
 * pages). `regionNamesOf` names the regions its rows mention, looked up once (the regions domain
 * sits above this one).
 */
export function legibleHistory(
  db: Db,
  entity: string,
  entityId: string | number,
  how: Omit<HistoryFields, 'regionNames'> & {
    regionNamesOf: (codes: string[]) => ReadonlyMap<string, string>;
    /** The reader's language (the money unit is `unit`): the lines are kept per both. */
    locale: string;
    /** The page asked for (the first when none). */
    page?: number | undefined;
  },
): Readonly<{ lines: readonly HistoryLine[]; pager: HistoryPager | undefined }> {
  // kept until the audit log grows (a change, a comment, a renamed user all add a row)
  const key = `history ${entity} ${entityId} ${how.locale} ${how.unit} ${how.page ?? 1}`;
  return keptWhileLogStands(db, key, () => {
    const { rows, page, pages, total } = historyPageOf(db, entity, entityId, how.page);
    const codes = regionCodesIn(rows, how.fields);
    const lines = presentHistory(rows, { ...how, regionNames: codes.length ? how.regionNamesOf(codes) : undefined });
    return Object.freeze({ lines, pager: pages > 1 ? { page, pages, total } : undefined });
  });
}

/** The page a history is asked for (`?page=`), or undefined for the first. */
export function historyPageAsked(query: unknown): number | undefined {
  const n = Number((query as { page?: unknown } | undefined)?.page);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** What the history partial reads: the lines and, for a long history, its page links. */
export function historyLocals(history: ReturnType<typeof legibleHistory>) {
  return { history: history.lines, historyPage: history.pager, historyParams: {} };
}
