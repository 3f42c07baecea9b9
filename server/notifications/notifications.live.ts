import type { Db } from '../../db/client.ts';
import { sides } from '../../db/schema/index.ts';
import { remember } from '../lib/data-version.ts';
import { pairingSetWithin } from '../pairings/pairings.queries.ts';
import { isWithin } from '../regions/regions.service.ts';
import { filesReports } from '../reports/reports.policy.ts';
import { stateOf, storedReportsOfYear } from '../reports/reports.service.ts';
import { audience, type Audience, type Person } from './notifications.policy.ts';
import * as q from './notifications.queries.ts';

/**
 * A deadline summary ("11 个结对方的 2024 年度数据尚未报送") as it stands when shown. Its sides'
 * own reminders go when they submit (the triggers of migration 0010); the summary, which names no
 * pairing, is read against the reports instead: it counts the sides still open and is left out once
 * none is. The header's count (one index search on every page) does not look: it may count such a
 * summary until the next digest, which deletes it.
 *
 * An open side, as the digest counted it: a side of a pairing in force that year that files
 * reports, within the reader's scope, whose stored report is not submitted or accepted, and whose
 * own office (the nearest staff writing for it) the reader is.
 * TODO(reports): "open sides within a prefix for a year" belongs to the reports domain.
 */

/** The pairings in force in a year with a side within the prefix, that file reports: kept while the structure stands. */
function filingWithin(db: Db, prefix: string, year: number) {
  return remember(
    db,
    `notify.filing ${prefix} ${year}`,
    () => q.inForceOf(db, pairingSetWithin(db, prefix, undefined).json, year).filter((p) => filesReports(p.level)),
    'structure',
  );
}

/** How many sides of the year the reader's office still waits for (see above). */
export function openSidesOf(db: Db, who: Audience, reader: Person, year: number): number {
  const prefix = reader.actor.scope;
  if (prefix === null) return 0;
  const stored = storedReportsOfYear(db, year);
  let n = 0;
  for (const p of filingWithin(db, prefix, year))
    for (const side of sides) {
      if (!isWithin(side === 'assisting' ? p.assistingCode : p.assistedCode, prefix)) continue;
      const state = stateOf(stored.get(p.id)?.[side], 1);
      if (state === 'submitted' || state === 'accepted') continue;
      if (who.officeOf(p, side).some((o) => o.id === reader.id)) n++;
    }
  return n;
}

export interface LiveSummaries {
  /** Summaries with no open side left (a JSON array of ids, for LIST_EXCEPT_SQL). */
  hidden: number[];
  hiddenUnread: number;
  /** The live number of open sides of each summary still shown, by notification id. */
  open: Map<number, number>;
}

const NONE: LiveSummaries = Object.freeze({ hidden: [], hiddenUnread: 0, open: new Map() });

/**
 * The user's deadline summaries against the reports now: one index search when it has none (the
 * usual case); else the active users (who the offices are) and the year's open sides, kept by the
 * reports' and the structure's versions.
 */
export function liveSummaries(db: Db, userId: number, who?: Audience): LiveSummaries {
  const rows = q.deadlineSummariesOf(db, userId);
  if (rows.length === 0) return NONE;
  const people = who ?? audience(q.activeUsers(db));
  const reader = people.byId(userId);
  const byYear = new Map<number, number>();
  const live: LiveSummaries = { hidden: [], hiddenUnread: 0, open: new Map() };
  for (const r of rows) {
    let n = byYear.get(r.year);
    if (n === undefined) byYear.set(r.year, (n = reader ? openSidesOf(db, people, reader, r.year) : 0));
    if (n > 0) live.open.set(r.id, n);
    else {
      live.hidden.push(r.id);
      if (r.readAt === null) live.hiddenUnread++;
    }
  }
  return live;
}

/** The deadline summaries no longer true, of every office (the digest deletes them): one index search per office. */
export function staleSummaries(db: Db, who: Audience): number[] {
  return who.offices().flatMap((p) => liveSummaries(db, p.id, who).hidden);
}
