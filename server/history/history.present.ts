import type { Db } from '../../db/client.ts';
import { AGREEMENT_FIELDS } from '../agreements/agreements.service.ts';
import type { AuditRow, HistoryEntry } from '../audit/audit.service.ts';
import { presentHistory, regionCodesIn, type HistoryLine } from '../audit/history.present.ts';
import type { FieldDef } from '../lib/fields.ts';
import type { Translate } from '../lib/i18n.ts';
import type { MoneyUnit } from '../lib/money.ts';
import { PAIRING_HISTORY_FIELDS, pairingChoiceKey } from '../pairings/pairings.schema.ts';
import { RECORD_KINDS, entityTitleText, isRecordKind, listableFields, titleOf } from '../records/records.kinds.ts';
import { recordTitles } from '../records/records.titles.ts';
import { regionNames } from '../regions/regions.service.ts';

/**
 * A pairing's history as its page reads it: each change with the thing it changed (a record by
 * its kind and name, or its number when the change holds no name, linked; an agreement by its
 * year) and its fields as that thing's form names them (the record-kind registry, the agreement's and the pairing's field lists); an import as one
 * line, its count, who and when, opening onto the records it changed.
 */
export interface Thing {
  label: string;
  link: string | null;
}

export type PairingHistoryLine = HistoryLine & {
  /** What changed (none for the pairing itself: the page is its). */
  thing?: Thing;
  group?: { count: number; undo: boolean; rows: { action: string; thing: Thing }[]; more: number };
};

/** The fields of a thing the log names (`record.funds`, `agreement`, `pairing`), in form order. */
export function fieldsOfEntity(entity: string): readonly FieldDef[] {
  if (entity === 'pairing') return PAIRING_HISTORY_FIELDS;
  if (entity === 'report') return REPORT_HISTORY_FIELDS;
  if (entity === 'agreement') return AGREEMENT_FIELDS;
  const kind = entity.slice('record.'.length);
  return entity.startsWith('record.') && isRecordKind(kind) ? listableFields(RECORD_KINDS[kind]) : [];
}

/** A side's report as its history shows it: its state (named as the report panel names it). */
const REPORT_HISTORY_FIELDS: FieldDef[] = [{ name: 'status', type: 'text', max: 20 }];

/** The i18n key naming a thing's choice (a pairing's level, a report's state), or undefined. */
function choiceKey(entity: string, name: string, value: unknown): string | undefined {
  if (entity === 'pairing') return pairingChoiceKey(name, value);
  if (entity === 'report' && name === 'status') return `reports.state.${String(value)}`;
  return undefined;
}

/** A record's name as its change wrote it (the after, else the before), if it wrote one. */
function writtenTitle(row: AuditRow): string | undefined {
  const kind = row.entity.slice('record.'.length);
  if (!row.entity.startsWith('record.') || !isRecordKind(kind)) return undefined;
  return titleOf(RECORD_KINDS[kind], row.after) ?? titleOf(RECORD_KINDS[kind], row.before);
}

function thingOf(row: AuditRow, pairingId: number, t: Translate, titles: ReadonlyMap<string, string>): Thing {
  const label = t(`history.entity.${row.entity}`);
  if (row.entity === 'report') {
    // a side's report of a year is named `pairing:year:side`
    const [, year, side] = row.entityId.split(':');
    return { label: t('history.thing.report', { year, side: t(`side.${side}`) }), link: `/pairings/${pairingId}?year=${year}` };
  }
  if (row.entity.startsWith('record.')) {
    // a record by its name (a project's, a transfer's purpose …) as the change wrote it, else as it
    // is named now (a confirmation writes no name), else its number
    const kind = row.entity.slice('record.'.length);
    const title = writtenTitle(row) ?? titles.get(`${row.entity}:${row.entityId}`);
    const name = title === undefined ? `#${row.entityId}` : entityTitleText(row.entity, title, t);
    return { label: `${label} ${name}`, link: `/records/${kind}/${row.entityId}` };
  }
  if (row.entity === 'agreement') {
    const year = [row.after, row.before].map((v) => (v as { year?: unknown } | null)?.year).find((y) => typeof y === 'number');
    return year === undefined
      ? { label, link: null }
      : { label: `${year} ${label}`, link: `/pairings/${pairingId}/agreements/${year}` };
  }
  return { label, link: null };
}

export function presentPairingHistory(
  db: Db,
  pairingId: number,
  entries: readonly HistoryEntry[],
  reader: { t: Translate; unit: MoneyUnit },
): PairingHistoryLine[] {
  // the regions every single change names, looked up once for the page
  const codes = new Set<string>();
  for (const e of entries)
    if (e.importId === null) for (const r of e.rows) for (const c of regionCodesIn([r], fieldsOfEntity(r.entity))) codes.add(c);
  const names = codes.size ? regionNames(db, [...codes]) : undefined;
  // the records whose changes wrote no name (a confirmation), named as they are now
  const titles = recordTitles(
    db,
    pairingId,
    entries.flatMap((e) => e.rows).filter((r) => r.entity.startsWith('record.') && !writtenTitle(r)),
  );
  return entries.map((e) => {
    const first = e.rows[0]!;
    const thing = thingOf(first, pairingId, reader.t, titles);
    if (e.importId !== null) {
      const rows = e.rows.map((r) => ({ action: r.action, thing: thingOf(r, pairingId, reader.t, titles) }));
      const group = { count: e.count, undo: e.undo, rows, more: e.count - rows.length };
      return {
        at: first.at,
        action: first.action,
        actorName: first.actorName,
        importId: e.importId,
        changes: [],
        values: [],
        thing,
        group,
      };
    }
    const [line] = presentHistory([first], {
      fields: fieldsOfEntity(first.entity),
      t: reader.t,
      unit: reader.unit,
      regionNames: names,
      nameOfChoice: (name, value) => {
        const key = choiceKey(first.entity, name, value);
        return key ? reader.t(key) : undefined;
      },
    });
    return first.entity === 'pairing' ? line! : { ...line!, thing };
  });
}
