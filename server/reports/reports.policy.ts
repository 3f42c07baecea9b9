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
}

export type ReportPairing = PairingSides & { level: RegionLevel };

/** Whether the report's figures are locked for the side that submitted them. */
export const locks = (status: ReportState) => status === 'submitted' || status === 'accepted';

/** An office of the same side, above the side's own level (or the admin). */
export function reviewsSide(actor: Actor, pairing: ReportPairing, side: Side): boolean {
  if (actor.role === 'admin') return true;
  if (actor.role !== 'staff' || actor.scope === null) return false;
  const code = side === 'assisting' ? pairing.assistingCode : pairing.assistedCode;
  const own = scopePrefix({ code, level: pairing.level });
  return own.length > actor.scope.length && isWithin(code, actor.scope);
}

/** Whether the actor enters figures for that side of the pairing. */
export function writesSide(actor: Actor, pairing: PairingSides, side: Side): boolean {
  return canWrite(actor, pairing) && sidesOf(actor, pairing)[side];
}

export function reportCapabilities(actor: Actor, pairing: ReportPairing, side: Side, report: ReportFacts) {
  const reviewer = reviewsSide(actor, pairing, side) && report.submittedBy !== actor.id;
  return {
    submit: writesSide(actor, pairing, side) && !locks(report.status),
    return: reviewer && locks(report.status),
    accept: reviewer && report.status === 'submitted',
  };
}

/** Deadlines are the admin's. */
export const setsDeadlines = (actor: Actor) => actor.role === 'admin';
