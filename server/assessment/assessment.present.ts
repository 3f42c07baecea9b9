import type { Translate } from '../lib/i18n.ts';
import type { MoneyUnit } from '../lib/money.ts';
import { formatHundredths, formatIndicatorValue, ruleNameOf } from '../lib/present.ts';
import { MEASURES } from '../records/records.service.ts';
import { recordsLink, type IndicatorResult, type ObjectResult } from './assessment.scorecards.ts';

const UNITS = new Map<string, string>([...MEASURES.map((m) => [m.key, m.unit] as const), ['confirmedShare', 'percent']]);

/** The unit of a measure's figures (money, people, count, percent), or null for an indicator without one. */
export const unitOf = (measure: string | null | undefined): string | null => (measure ? (UNITS.get(measure) ?? null) : null);

/** How a reader reads a scorecard: their language and money unit. */
export interface Reader {
  t: Translate;
  locale: string;
  unit: MoneyUnit;
  /** Areas by their names in the year's framework (assessment.editor.check.ts areaNameOf). */
  areaName?: (key: string) => string | undefined;
}

/**
 * Indicators as the scorecard page (and its PDF) shows them: with their unit, the link to their
 * records and `text`, each cell's words and figures in the reader's language and unit. The
 * template prints `text` as it is: through helpers, its fourteen rows made a third of the page's
 * time (issue 9's profile).
 */
export function presentIndicators(object: ObjectResult, year: number, reader: Reader) {
  return object.indicators.map((i) => {
    const unit = i.measure ? (UNITS.get(i.measure) ?? null) : null;
    return {
      ...i,
      unit,
      link: i.measure ? recordsLink(i.measure, object.key, year) : null,
      text: indicatorText(i, unit, reader),
    };
  });
}

function indicatorText(i: IndicatorResult, unit: string | null, { t, locale, unit: moneyUnit, areaName }: Reader) {
  const figure = (v: number | null) => formatIndicatorValue(v, unit, moneyUnit);
  const max = formatHundredths(i.max);
  return {
    area: areaName?.(i.area) ?? t(`area.${i.area}`),
    name: locale === 'en' ? i.name.en : i.name.zh,
    value: figure(i.value),
    target: figure(i.target),
    previous: figure(i.previous),
    percent: i.percentOfTarget ? `${i.percentOfTarget}%` : '',
    score: i.notApplicable ? t('scorecard.na') : `${formatHundredths(i.score)} / ${max}`,
    band: i.band ? t(`band.${i.band}`) : '',
    rule: `${t(`rule.${ruleNameOf(i.rule)}`)} — ${t(i.why)}`,
    inputs: i.measure ? t('scorecard.inputs', { measure: t(`measure.${i.measure}`) }) : '',
    judged: i.judged ? t('scorecard.judged', { n: i.judged.count, spread: formatHundredths(i.judged.spread) }) : '',
    yourScore: t('scorecard.yourScore', { max }),
    moderate: t('scorecard.moderate', { max }),
  };
}
