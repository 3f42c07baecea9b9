import { MEASURES } from '../records/records.service.ts';
import { recordsLink, type ObjectResult } from './assessment.scorecards.ts';

const UNITS = new Map<string, string>([...MEASURES.map((m) => [m.key, m.unit] as const), ['confirmedShare', 'percent']]);

/** Indicators as the scorecard page (and its PDF) shows them: with their unit and the link to their records. */
export function presentIndicators(object: ObjectResult, year: number) {
  return object.indicators.map((i) => ({
    ...i,
    unit: i.measure ? UNITS.get(i.measure) : null,
    link: i.measure ? recordsLink(i.measure, object.key, year) : null,
  }));
}
