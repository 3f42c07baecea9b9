import type { Db } from '../../db/client.ts';
import { roundStages } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { chinaDay, daysUntil } from '../lib/china-time.ts';
import { pageWindow } from '../lib/pagination.ts';
import { writesHeld } from '../lib/write-gate.ts';
import { unavailableCodeOf } from '../lib/sqlite-errors.ts';
import { yearBasis } from '../assessment/assessment.basis.ts';
import { listFrameworkYears } from '../assessment/assessment.queries.ts';
import { lastAuditId } from '../audit/audit.queries.ts';
import { pairingSetWithin, pairingsByIds } from '../pairings/pairings.queries.ts';
import { isWithin } from '../regions/regions.service.ts';
import { sideOfChange } from '../records/records.policy.ts';
import { deadlineOf, reportsVersion } from '../reports/reports.service.ts';
import type { ReportState } from '../reports/reports.policy.ts';
import { boardEntries, boardRows, type BoardRow } from './home.board.ts';
import { keptOnAssessment } from './home.kept.ts';
import * as q from './home.queries.ts';

/**
 * An office's first screen: the completeness board of its scope for a year, what waits on it
 * (transfers to confirm, the partner's changes since its last visit) and the dates ahead (the
 * report deadline, the assessment's current step).
 */

export const BOARD_SHOWS = [
  'all',
  'behind',
  'noAgreement',
  'open',
  'notStarted',
  'inProgress',
  'submitted',
  'returned',
  'accepted',
] as const;
export type BoardShow = (typeof BOARD_SHOWS)[number];
export const REPORT_STATES: readonly ReportState[] = ['notStarted', 'inProgress', 'submitted', 'returned', 'accepted'];
const BOARD_PAGE = 20;

function shows(row: BoardRow, show: BoardShow): boolean {
  if (show === 'all') return true;
  if (show === 'behind') return row.behind.length > 0;
  if (show === 'noAgreement') return !row.hasAgreement;
  // not yet submitted: what an office still owes
  if (show === 'open') return row.myReport === 'notStarted' || row.myReport === 'inProgress' || row.myReport === 'returned';
  return row.myReport === show;
}

export { daysUntil };

/** The board of a scope (an office's own, or a region the admin chose) with its counts and dates. */
export function boardOf(db: Db, prefix: string, input: { year: number; show: BoardShow; page?: number | undefined }, now: Date) {
  const { year, show } = input;
  const board = boardEntries(db, prefix, year, now);
  const rows = boardRows(db, board.entries, year);
  const deadline = deadlineOf(db, year);
  return {
    year,
    show,
    counts: countsOf(rows),
    board: boardPage(db, rows, show, input.page),
    // names the markup of this page of rows (the rows stand for a data version, a day and the reports' state)
    key: `board ${prefix} ${year} ${show} ${input.page ?? 1} ${chinaDay(now)} ${reportsVersion(db)}`,
    transfers: board.unconfirmed,
    deadline: deadline ? { day: deadline, days: daysUntil(deadline, now) } : null,
    assessment: assessmentStep(db, now),
  };
}

const keptCounts = new WeakMap<readonly BoardRow[], ReturnType<typeof countRows>>();
const countsOf = (rows: readonly BoardRow[]) => {
  let counts = keptCounts.get(rows);
  if (!counts) keptCounts.set(rows, (counts = countRows(rows)));
  return counts;
};

function countRows(rows: readonly BoardRow[]) {
  const reports = Object.fromEntries(REPORT_STATES.map((s) => [s, 0])) as Record<ReportState, number>;
  let behind = 0;
  let noAgreement = 0;
  for (const r of rows) {
    reports[r.myReport] += 1;
    if (r.behind.length > 0) behind += 1;
    if (!r.hasAgreement) noAgreement += 1;
  }
  return { total: rows.length, behind, noAgreement, reports };
}

const keptPages = new WeakMap<readonly BoardRow[], Map<string, BoardPage>>();
type BoardPage = ReturnType<typeof pageOf>;

/** A page of the board's rows with their pairings' names: kept while the rows stand (a data version, a report move). */
function boardPage(db: Db, rows: readonly BoardRow[], show: BoardShow, requested: number | undefined) {
  let pages = keptPages.get(rows);
  if (!pages) keptPages.set(rows, (pages = new Map()));
  const key = `${show} ${requested ?? 1}`;
  let page = pages.get(key);
  if (!page) pages.set(key, (page = pageOf(db, rows, show, requested)));
  return page;
}

function pageOf(db: Db, rows: readonly BoardRow[], show: BoardShow, requested: number | undefined) {
  const filtered = show === 'all' ? rows : rows.filter((r) => shows(r, show));
  const win = pageWindow(requested, filtered.length, BOARD_PAGE);
  const pageRows = filtered.slice(win.offset, win.offset + win.pageSize);
  const views = new Map(
    pairingsByIds(
      db,
      pageRows.map((r) => r.id),
    ).map((v) => [v.id, v]),
  );
  return Object.freeze({
    items: pageRows.map((r) => ({ ...r, pairing: views.get(r.id)! })),
    page: win.page,
    pages: win.pages,
    pageSize: win.pageSize,
    total: filtered.length,
  });
}

/**
 * The assessment's step the office is at: the newest round still running (an assessment of a year
 * runs in the years after it), its stage and the days left to that stage's due date in the
 * framework's steps.
 */
export function assessmentStep(db: Db, now: Date) {
  const step = keptOnAssessment(db, 'home.step', () => {
    for (const { year } of listFrameworkYears(db).reverse()) {
      const basis = yearBasis(db, year);
      const round = basis.round;
      if (!round || round.stage === 'published') continue;
      const due = basis.framework?.doc.steps.find((s) => s.stage === round.stage)?.due ?? null;
      return { year, stage: round.stage, step: roundStages.indexOf(round.stage) + 1, due };
    }
    return null;
  });
  return step ? { ...step, days: step.due ? daysUntil(step.due, now) : null } : null;
}

/** At most this many changes are read for a count (beyond it the page says "more than"). */
const CHANGES_READ = 2000;
/** How far back a list of changes reaches, in audit rows, whatever point is asked for. */
const CHANGES_WINDOW = 50_000;

/**
 * The partner side's changes to records of a scope after an audit row: a change is the partner's
 * when the side it was made for (records.policy's sideOfChange, as the reminders decide it) lies
 * outside the scope. Newest first; `count` is exact up to CHANGES_READ changes read.
 */
function partnerChangesAfter(db: Db, prefix: string, after: number) {
  const set = pairingSetWithin(db, prefix, undefined);
  const from = Math.max(after, lastAuditId(db) - CHANGES_WINDOW);
  const read = q.changesOfSet(db, set.json, from, CHANGES_READ);
  const sides = new Map(q.pairingFactsOf(db, JSON.stringify([...new Set(read.map((r) => r.pairingId))])).map((p) => [p.id, p]));
  const rows = read.filter((r) => {
    const side = sideOfChange(r.entity, r.action, r.before, r.after);
    const p = sides.get(r.pairingId);
    return side !== undefined && p !== undefined && !isWithin(side === 'assisting' ? p.assistingCode : p.assistedCode, prefix);
  });
  rows.sort((a, b) => b.id - a.id);
  return { from, rows, more: read.length >= CHANGES_READ };
}

/**
 * The partner's changes since the user last looked; looking moves the mark, only when there was
 * something to show (a page view is then no write) and no import holds the writes.
 */
export function changesSinceLastVisit(db: Db, actor: Actor, limit = 10) {
  const mark = q.homeMarkOf(db, actor.id);
  const last = lastAuditId(db);
  // a first visit starts the count: there is no "last visit" to compare with yet
  const since = mark ?? last;
  const { rows, more } = since < last ? partnerChangesAfter(db, actor.scope!, since) : { rows: [], more: false };
  if ((mark === undefined || rows.length > 0) && !writesHeld()) {
    try {
      q.setHomeMark(db, actor.id, last);
    } catch (err) {
      // a full disk must not cost the home page: the mark stays, the same changes show next time
      if (!unavailableCodeOf(err)) throw err;
    }
  }
  return { since, count: rows.length, more, items: withPairings(db, rows.slice(0, limit)) };
}

/** The partner's changes after an audit row, for the list behind the home page's count (newest 200). */
export function changesAfter(db: Db, actor: Actor, after: number, limit = 200) {
  const { from, rows } = partnerChangesAfter(db, actor.scope!, after);
  return { after: from, more: rows.length > limit, items: withPairings(db, rows.slice(0, limit)) };
}

function withPairings(db: Db, rows: q.ChangeRow[]) {
  const views = new Map(pairingsByIds(db, [...new Set(rows.map((r) => r.pairingId))]).map((v) => [v.id, v]));
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    action: r.action,
    entity: r.entity,
    entityId: r.entityId,
    pairingId: r.pairingId,
    actorName: r.actorName,
    kind: r.entity.slice('record.'.length),
    pairing: views.get(r.pairingId) ?? null,
  }));
}
