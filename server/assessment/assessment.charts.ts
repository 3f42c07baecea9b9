import { cell, type ChartView } from '../lib/chart-view.ts';
import { barChartSvg } from '../lib/charts.ts';
import type { Translate } from '../lib/i18n.ts';
import { keptBy } from '../lib/kept-by.ts';
import { formatHundredths } from '../lib/present.ts';
import type { GroupResult, ObjectResult } from './assessment.scorecards.ts';
import { grades } from './assessment.scoring.ts';

/**
 * The assessment's two charts, drawn from the computed results (assessment.scorecards.ts) and kept
 * beside them (keptBy): a scorecard's score by area, and the grades of the league tables. Callers
 * await lib/charts.ts's chartsReady() first.
 */

/** The grade tags' colours (app.css .grade-*): 好 green … 较差 red. */
const GRADE_COLOURS = { good: '#2f855a', fairlyGood: '#2b6cb0', average: '#d69e2e', poor: '#b8232f' } as const;

const points = (hundredths: number) => Math.round(hundredths) / 100;

/** An object's score by area: the points scored and the points possible of its applicable indicators. */
export function scoreByAreaChart(
  object: ObjectResult,
  t: Translate,
  locale: string,
  areaName?: (key: string) => string | undefined,
): ChartView {
  return keptBy(object, `chart areas ${locale}`, () => {
    const areas = new Map<string, { score: number; max: number }>();
    for (const i of object.indicators) {
      if (i.notApplicable !== null) continue; // its points leave the maximum (as in the total)
      const a = areas.get(i.area) ?? areas.set(i.area, { score: 0, max: 0 }).get(i.area)!;
      a.score += i.score ?? 0;
      a.max += i.max;
    }
    const rows = [...areas].map(([area, a]) => ({ name: areaName?.(area) ?? t(`area.${area}`), ...a }));
    const title = t('charts.byArea', { name: object.name });
    const unit = t('charts.unit.points');
    const score = t('charts.score');
    const max = t('charts.max');
    return {
      id: 'areas',
      title,
      unit,
      svg:
        rows.length === 0
          ? null
          : barChartSvg(
              {
                title,
                unit,
                categories: rows.map((r) => r.name),
                series: [
                  { name: score, values: rows.map((r) => points(r.score)) },
                  { name: max, values: rows.map((r) => points(r.max)) },
                ],
                // every area named down the side (along the bottom ECharts drops labels that crowd)
                horizontal: true,
              },
              { width: 480, height: 90 + 44 * rows.length },
            ),
      headers: [
        cell(t('charts.area'), false),
        cell(`${score}（${unit}）`, true),
        cell(`${max}（${unit}）`, true),
        cell(`${t('charts.percent')}（%）`, true),
      ],
      rows: rows.map((r) => [
        cell(r.name, false),
        cell(formatHundredths(r.score), true),
        cell(formatHundredths(r.max), true),
        cell(r.max > 0 ? Math.round((r.score * 1000) / r.max) / 10 : 0),
      ]),
    };
  });
}

/** The grades of each league table the reader sees (objects per grade, stacked per group). */
export function gradeDistributionChart(groups: readonly GroupResult[], year: number, t: Translate, locale: string): ChartView {
  return keptBy(groups, `chart grades ${locale}`, () => {
    const title = t('charts.grades', { year });
    const unit = t('charts.unit.objects');
    return {
      id: 'grades',
      title,
      unit,
      svg:
        groups.length === 0
          ? null
          : barChartSvg(
              {
                title,
                unit,
                categories: groups.map((g) => g.name),
                series: grades.map((g) => ({
                  name: t(`grade.${g}`),
                  values: groups.map((x) => x.gradeCounts[g]),
                  colour: GRADE_COLOURS[g],
                })),
                stacked: true,
                horizontal: true,
              },
              { width: 480, height: 90 + 40 * groups.length },
            ),
      headers: [cell(t('charts.group'), false), ...grades.map((g) => cell(`${t(`grade.${g}`)}（${unit}）`, true))],
      rows: groups.map((x) => [cell(x.name, false), ...grades.map((g) => cell(x.gradeCounts[g]))]),
    };
  });
}
