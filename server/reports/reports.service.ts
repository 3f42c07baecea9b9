import type { Db } from '../../db/client.ts';
import { sides, type ReportStatus, type Side } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { chinaYear } from '../lib/china-time.ts';
import { keeperOn, remember } from '../lib/data-version.ts';
import { ConflictError, ForbiddenError } from '../lib/errors.ts';
import { getPairing, type PairingView } from '../pairings/pairings.service.ts';
import {
  filesReports,
  locks,
  reportCapabilities,
  setsDeadlines,
  type ReportPairing,
  type ReportState,
} from './reports.policy.ts';
import * as q from './reports.queries.ts';

/**
 * Each side's yearly report under a pairing (填报/报送): its status, who moved it and when, and
 * what the actor may do with it. Submitting locks the side's records of the year (records ask
 * `lockedSides`); the level above returns it with a reason (the lock lifts) or accepts it.
 */
export { lockedSides, reportsVersion } from './reports.queries.ts';

export interface SideReport {
  side: Side;
  status: ReportState;
  records: number;
  submittedBy: number | null;
  /** Who submitted it, by name. */
  submitterName: string | null;
  submittedAt: Date | null;
  reviewedBy: number | null;
  reviewedAt: Date | null;
  returnReason: string | null;
  locked: boolean;
  can: ReturnType<typeof reportCapabilities>;
}

/** Both sides' reports of a pairing's year as the actor sees them (404 outside scope, as the pairing). */
export function reportsOfYear(db: Db, actor: Actor, pairingId: number, year: number) {
  return reportsOfPairing(db, actor, getPairing(db, actor, pairingId), year);
}

/** The same for a pairing the caller has already read within the actor's scope (the pairing page). */
export function reportsOfPairing(db: Db, actor: Actor, pairing: PairingView, year: number) {
  const pairingId = pairing.id;
  const rows = q.reportsOf(db, pairingId, year);
  // kept per data version, as every count of records (a page view reads it once between two changes)
  const counts = remember(db, `reports.recordsBySide ${pairingId} ${year}`, () => q.recordsBySide(db, pairingId, year));
  const deadline = q.deadlineOf(db, year);
  const items: SideReport[] = sides.map((side) => {
    const row = rows.find((r) => r.side === side);
    const status = stateOf(row?.status, counts[side]);
    const facts = { status, submittedBy: row?.submittedBy ?? null, submittedScope: row?.submittedScope ?? null };
    return {
      side,
      status,
      records: counts[side],
      submittedBy: row?.submittedBy ?? null,
      submitterName: row?.submitterName ?? null,
      submittedAt: row?.submittedAt ?? null,
      reviewedBy: row?.reviewedBy ?? null,
      reviewedAt: row?.reviewedAt ?? null,
      returnReason: row?.status === 'returned' ? row.returnReason : null,
      locked: locks(status),
      can: reportCapabilities(actor, pairing as ReportPairing, side, facts),
    };
  });
  return { pairing, year, deadline: deadline ?? null, items, files: filesReports(pairing.level) };
}

/** A side's report state: as stored once it has been submitted, else from whether it has entered records. */
export function stateOf(stored: ReportStatus | undefined, entered: number): ReportState {
  return stored ?? (entered > 0 ? 'inProgress' : 'notStarted');
}

export type StoredReports = ReadonlyMap<number, Readonly<Partial<Record<Side, ReportStatus>>>>;
const keptWhileReportsStand = keeperOn((db) => q.reportsVersion(db), 20);

/**
 * Every pairing's stored report statuses of a year (the home pages' boards read them for a whole
 * scope): kept until any report moves, whoever moves it (the counter of migration 0009).
 */
export function storedReportsOfYear(db: Db, year: number): StoredReports {
  return keptWhileReportsStand(db, `year ${year}`, () => {
    const built = new Map<number, Partial<Record<Side, ReportStatus>>>();
    for (const r of q.reportsOfYearAll(db, year)) built.set(r.pairingId, { ...built.get(r.pairingId), [r.side]: r.status });
    return built;
  });
}

function sideReport(db: Db, actor: Actor, pairingId: number, year: number, side: Side) {
  const all = reportsOfYear(db, actor, pairingId, year);
  return { ...all, report: all.items.find((r) => r.side === side)! };
}

/** The side's office submits the year's report (a year of the pairing, not in the future): its figures are locked until it is returned. */
export function submitReport(db: Db, actor: Actor, pairingId: number, year: number, side: Side, now = new Date()) {
  const { report, pairing } = sideReport(db, actor, pairingId, year, side);
  const last = Math.min(pairing.endYear ?? chinaYear(now), chinaYear(now));
  if (!filesReports(pairing.level)) throw new ConflictError('reports.pairupFilesNone');
  if (year < pairing.startYear || year > last) throw new ConflictError('reports.notAYear', { year });
  if (!report.can.submit) {
    if (report.locked) throw new ConflictError('reports.alreadySubmitted');
    throw new ForbiddenError('reports.notYourSide');
  }
  moveReport(db, actor, pairingId, year, side, 'submit', {
    status: 'submitted',
    submittedBy: actorId(actor),
    submittedAt: new Date(),
    submittedScope: actor.role === 'admin' ? null : actor.scope,
    reviewedBy: null,
    reviewedAt: null,
    returnReason: null,
  });
}

/** The level above sends a submitted report back with a reason: the side may edit again. */
export function returnReport(db: Db, actor: Actor, pairingId: number, year: number, side: Side, reason: string) {
  const { report } = sideReport(db, actor, pairingId, year, side);
  if (!report.can.return) throw refusal(report);
  moveReport(db, actor, pairingId, year, side, 'return', {
    status: 'returned',
    reviewedBy: actorId(actor),
    reviewedAt: new Date(),
    returnReason: reason,
  });
}

/** The level above accepts a submitted report: it stays locked. */
export function acceptReport(db: Db, actor: Actor, pairingId: number, year: number, side: Side) {
  const { report } = sideReport(db, actor, pairingId, year, side);
  if (!report.can.accept) throw refusal(report);
  moveReport(db, actor, pairingId, year, side, 'accept', {
    status: 'accepted',
    reviewedBy: actorId(actor),
    reviewedAt: new Date(),
  });
}

function refusal(report: SideReport) {
  const key = whyNot(report, 'accept');
  return key === 'reports.notReviewer' ? new ForbiddenError(key) : new ConflictError(key);
}

/** Why a step is not open to the actor, in words (the step's page says it; the service refuses with it). */
export function whyNot(report: SideReport, step: 'submit' | 'return' | 'accept', files = true): string {
  if (!files) return 'reports.pairupFilesNone';
  if (step === 'submit') return report.locked ? 'reports.alreadySubmitted' : 'reports.notYourSide';
  if (report.status !== 'submitted' && report.status !== 'accepted') return 'reports.notSubmitted';
  if (report.status === 'accepted' && report.can.return && step === 'accept') return 'reports.alreadyAccepted';
  return 'reports.notReviewer';
}

function moveReport(
  db: Db,
  actor: Actor,
  pairingId: number,
  year: number,
  side: Side,
  action: 'submit' | 'return' | 'accept',
  values: Partial<q.ReportRow>,
) {
  db.transaction((tx) => {
    const before = q.findReport(tx, pairingId, year, side);
    if (before) {
      if (!q.updateReportAt(tx, before.id, before.version, values)) throw new ConflictError('conflict.stale');
    } else q.insertReport(tx, { pairingId, year, side, status: 'submitted', ...values });
    recordAudit(tx, {
      actorId: actorId(actor),
      action: `report.${action}`,
      entity: 'report',
      entityId: `${pairingId}:${year}:${side}`,
      pairingId,
      before: before ? { status: before.status } : null,
      after: { status: values.status, ...(values.returnReason ? { reason: values.returnReason } : {}) },
    });
  });
}

export function deadlines(db: Db, actor: Actor) {
  if (!setsDeadlines(actor)) throw new ForbiddenError();
  return q.allDeadlines(db);
}

export function deadlineOf(db: Db, year: number): string | null {
  return q.deadlineOf(db, year) ?? null;
}

/** The admin sets a year's deadline (the last day to submit). */
export function setDeadline(db: Db, actor: Actor, year: number, deadline: string) {
  if (!setsDeadlines(actor)) throw new ForbiddenError();
  db.transaction((tx) => {
    const before = q.deadlineOf(tx, year);
    q.upsertDeadline(tx, year, deadline, actorId(actor));
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'update',
      entity: 'report.deadline',
      entityId: year,
      before: before ? { deadline: before } : null,
      after: { deadline },
    });
  });
}
