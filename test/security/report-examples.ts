import { SYSTEM } from '../../server/lib/actor.ts';
import { reportsOfYear, submitReport } from '../../server/reports/reports.service.ts';
import { viaForm, type RouteWorld, type Submission } from './routes.support.ts';

type Example = (w: RouteWorld) => Promise<Submission>;

/**
 * Reports of the 江苏–陕西 county pair for 2023 (not the year the record examples write in: a
 * submitted year locks its side's records). A review needs a submitted report: the system submits
 * one first when the side's is open.
 */
const YEAR = 2023;
const url = (w: RouteWorld, side: string, step: string) => `/pairings/${w.js.county.id}/reports/${YEAR}/${side}/${step}`;

function submitted(w: RouteWorld, side: 'assisting' | 'assisted') {
  const report = reportsOfYear(w.db, SYSTEM, w.js.county.id, YEAR).items.find((r) => r.side === side)!;
  if (!report.locked) submitReport(w.db, SYSTEM, w.js.county.id, YEAR, side);
}

export const REPORT_EXAMPLES: Record<string, Example> = {
  'POST /pairings/:id/reports/:year/:side/submit': (w) =>
    viaForm(w, 'jiangsu', url(w, 'assisting', 'submit'), url(w, 'assisting', 'submit')),
  'POST /pairings/:id/reports/:year/:side/accept': (w) => {
    submitted(w, 'assisted');
    return viaForm(w, 'admin', url(w, 'assisted', 'accept'), url(w, 'assisted', 'accept'));
  },
  'POST /pairings/:id/reports/:year/:side/return': (w) => {
    submitted(w, 'assisted');
    return viaForm(w, 'admin', url(w, 'assisted', 'return'), url(w, 'assisted', 'return'), { reason: '请补充附件' });
  },
  'POST /admin/deadlines': (w) =>
    viaForm(w, 'admin', '/admin/deadlines', '/admin/deadlines', { year: '2024', deadline: '2024-12-20' }),
};
