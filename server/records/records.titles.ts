import type { Db } from '../../db/client.ts';
import { RECORD_KINDS, isRecordKind, titleOf } from './records.kinds.ts';
import { recordsByIds } from './records.queries.ts';

/**
 * The names of the records a pairing's changes point at (`record.<kind>` and an id), read from each
 * kind's title field (a project's name, a transfer's purpose …), keyed `entity:id`. Only records of
 * that pairing are named (its page has passed the reader's scope; a deleted one keeps its name, as
 * its history does); any other keeps no name, and the caller falls back to its number.
 */
export function recordTitles(
  db: Db,
  pairingId: number,
  changes: readonly { entity: string; entityId: string }[],
): Map<string, string> {
  const idsByKind = new Map<string, number[]>();
  for (const c of changes) {
    const kind = c.entity.startsWith('record.') ? c.entity.slice('record.'.length) : '';
    if (!isRecordKind(kind)) continue;
    idsByKind.set(kind, [...(idsByKind.get(kind) ?? []), Number(c.entityId)]);
  }
  const titles = new Map<string, string>();
  for (const [key, ids] of idsByKind) {
    const kind = RECORD_KINDS[key as keyof typeof RECORD_KINDS];
    for (const { record } of recordsByIds(db, kind.table, [...new Set(ids)])) {
      if (record.pairingId !== pairingId) continue;
      const title = titleOf(kind, record);
      if (title) titles.set(`record.${key}:${record.id}`, title);
    }
  }
  return titles;
}
