import type { Db } from '../../db/client.ts';
import { agreementsOf } from '../agreements/agreements.service.ts';
import { recentForPairing } from '../audit/audit.service.ts';
import type { Actor } from '../lib/actor.ts';
import { recordTitles } from '../records/records.titles.ts';
import { MEASURES, emptyTotals, totalsByRootAndYear, type Totals } from '../records/records.service.ts';
import { getPairing, listChildren } from './pairings.service.ts';

/** The measures shown for child pairs (a short row each). */
export const CHILD_MEASURES = ['fiscalFunds', 'cadresSent', 'professionalsSent', 'investment', 'jobs', 'purchases'] as const;

const percent = (value: number, target: number | null | undefined) => (target ? Math.round((value / target) * 1000) / 10 : null);

/**
 * Everything under a pairing on one page, for one year: each measure (rolled up over the pairing
 * and all pairings below it) against the agreement target and the previous year; the child pairs
 * with their own roll-ups; the recent changes. Both sides get exactly the same figures.
 */
export function pairingPage(db: Db, actor: Actor, id: number, requestedYear: number | undefined, currentYear: number) {
  const pairing = getPairing(db, actor, id);
  const lastYear = Math.max(pairing.startYear, Math.min(pairing.endYear ?? currentYear, currentYear));
  const years: number[] = [];
  for (let y = lastYear; y >= pairing.startYear; y--) years.push(y);

  const byYear = totalsByRootAndYear(db, [id], pairing.startYear - 1, lastYear).get(id) ?? new Map<number, Totals>();
  // Pair-ups are "in force" every year; the default year is the latest with actual records.
  const withData = years.find((y) => MEASURES.some((m) => m.key !== 'pairups' && (byYear.get(y)?.[m.key] ?? 0) > 0));
  const year = requestedYear !== undefined && years.includes(requestedYear) ? requestedYear : (withData ?? lastYear);
  const totals = byYear.get(year) ?? emptyTotals();
  const previous = byYear.get(year - 1);
  const agreements = agreementsOf(db, id);
  const agreement = agreements.get(year);

  const measures = MEASURES.map((m) => {
    const target = 'target' in m ? ((agreement?.[m.target] as number | null | undefined) ?? null) : null;
    const value = totals[m.key];
    const prev = previous ? previous[m.key] : null;
    return {
      key: m.key,
      unit: m.unit,
      value,
      target,
      percent: percent(value, target),
      previous: prev,
      change: prev === null ? null : value - prev,
    };
  });

  const trend = years
    .filter((y) => byYear.has(y) || agreements.has(y))
    .map((y) => {
      const t = byYear.get(y) ?? emptyTotals();
      const a = agreements.get(y);
      return {
        year: y,
        fiscalFunds: t.fiscalFunds,
        socialFunds: t.socialFunds,
        fiscalPercent: percent(t.fiscalFunds, a?.fiscalFundsFen),
        jobs: t.jobs,
        jobsPercent: percent(t.jobs, a?.jobs),
        purchases: t.purchases,
        purchasesPercent: percent(t.purchases, a?.purchasesFen),
      };
    });

  const children = listChildren(db, actor, id);
  const childTotals = totalsByRootAndYear(
    db,
    children.map((c) => c.id),
    year,
    year,
  );
  const childRows = children.map((c) => {
    const t = childTotals.get(c.id)?.get(year) ?? emptyTotals();
    return { ...c, totals: Object.fromEntries(CHILD_MEASURES.map((k) => [k, t[k]])) };
  });
  const recent = recentForPairing(db, id);
  const childSum = Object.fromEntries(CHILD_MEASURES.map((k) => [k, childRows.reduce((n, c) => n + (c.totals[k] ?? 0), 0)]));

  return {
    pairing,
    year,
    years,
    measures,
    agreement,
    trend,
    children: childRows,
    childSum,
    recent,
    recentTitles: recordTitles(db, id, recent),
  };
}
