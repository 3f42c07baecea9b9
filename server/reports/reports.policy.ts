import type { RegionLevel, ReportStatus, Side } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { canWrite, sidesOf, type PairingSides } from '../pairings/pairings.scope.ts';
import { isWithin, scopePrefix } from '../regions/regions.service.ts';

/**
 * Who may do what with a side's yearly report, decided here for the service, the pages and the
 * records' lock alike:
 * - the side's own office (staff writing for that side) submits it while it is open (not started,
 *   in progress or returned);
 * - the level above reviews it: the admin, or an office of the same side at a higher level (a
 *   province office for a county pair's side), never the one who submitted it. It returns it with
 *   a reason, or accepts it;
 * - a submitted or accepted report locks the side's records of that year until it is returned.
 */
export type ReportState = ReportStatus | 'notStarted' | 'inProgress';

export interface ReportFacts {
  status: ReportState;
  submittedBy: number | null;
  /** The submitter's scope (null for an admin or the system). */
  submittedScope: string | null;
}

export type ReportPairing = PairingSides & { level: RegionLevel };

/** Whether the report's figures are locked for the side that submitted them. */
export const locks = (status: ReportState) => status === 'submitted' || status === 'accepted';

/** Strictly above: the scope holds the other and is not it. */
const above = (scope: string, below: string) => below.length > scope.length && isWithin(below, scope);

/**
 * The admin, or an office of the same side above both the side's own level and whoever submitted
 * (a province office that submitted a county's figures is reviewed by the admin, not by a colleague).
 */
export function reviewsSide(actor: Actor, pairing: ReportPairing, side: Side, submittedScope: string | null): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'staff' || actor.scope === null || submittedScope === null) return false;
  const code = side === 'assisting' ? pairing.assistingCode : pairing.assistedCode;
  return above(actor.scope, scopePrefix({ code, level: pairing.level })) && above(actor.scope, submittedScope);
}

/** Whether the actor enters figures for that side of the pairing. */
export function writesSide(actor: Actor, pairing: PairingSides, side: Side): boolean {
  return canWrite(actor, pairing) && sidesOf(actor, pairing)[side];
}

export function reportCapabilities(actor: Actor, pairing: ReportPairing, side: Side, report: ReportFacts) {
  const reviewer = reviewsSide(actor, pairing, side, report.submittedScope) && report.submittedBy !== actor.id;
  if (!filesReports(pairing.level)) return { submit: false, return: false, accept: false };
  return {
    submit: writesSide(actor, pairing, side) && !locks(report.status),
    return: reviewer && locks(report.status),
    accept: reviewer && report.status === 'submitted',
  };
}

/**
 * Which pairings file a yearly report: province, city and county pairs. A pair-up (携手奔小康: a
 * township, village, enterprise, school or hospital) files none of its own: its figures roll up
 * into its county pair, whose report covers them. The boards, the admin's counts, the reminders
 * and the report pages all ask this.
 */
export const filesReports = (level: string) => level !== 'pairup';

/** Deadlines are the admin's. */
export const setsDeadlines = (actor: Actor) => actor.role === 'admin';
