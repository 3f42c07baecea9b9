import type { Translate } from '../lib/i18n.ts';
import { formatMoney, type MoneyUnit } from '../lib/money.ts';
import { changeArrow, changeTrend, formatCount, formatDateTime, formatMeasure } from '../lib/present.ts';
import { entityTitleText } from '../records/records.kinds.ts';
import { MEASURES } from '../records/records.service.ts';
import { CHILD_MEASURES, type pairingPage } from './pairing-page.service.ts';

type Page = ReturnType<typeof pairingPage>;

const unitOf = new Map<string, string>(MEASURES.map((m) => [m.key, m.unit]));
const money = (fen: number | null | undefined, unit: MoneyUnit) =>
  fen === null || fen === undefined ? '' : formatMoney(fen, unit);
const percent = (p: number | null | undefined) => (p ? `${p}%` : '');

/**
 * The pairing page's three tables as the text each cell shows, in the reader's language and money
 * unit: the same formatting the views' helpers apply ({{measure}}, {{money}}, {{num}}, {{arrow}}),
 * done once here, so the template prints plain values. A page holds some 300 cells; through
 * helpers they were half of its rendering time (issue 9's profile).
 */
export function presentPairingPage(page: Page, t: Translate, unit: MoneyUnit) {
  const unitLabel = t(`money.${unit}`);
  const childFigures = (totals: Record<string, number | undefined>) =>
    Object.fromEntries(
      CHILD_MEASURES.map((k) => [k, unitOf.get(k) === 'money' ? money(totals[k], unit) : formatCount(totals[k])]),
    );
  return {
    measureRows: page.measures.map((m) => ({
      key: m.key,
      label: t(`measure.${m.key}`),
      unitLabel: m.unit === 'money' ? unitLabel : '',
      value: formatMeasure(m.value, m.unit, unit),
      target: formatMeasure(m.target, m.unit, unit),
      percent: m.percent === null ? '' : `${m.percent}%`,
      percentClass: m.percent !== null && m.percent < 100 ? 'pct below' : 'pct',
      previous: formatMeasure(m.previous, m.unit, unit),
      change: formatMeasure(m.change, m.unit, unit),
      trendClass: changeTrend(m.change),
      arrowMark: changeArrow(m.change),
    })),
    trendRows: page.trend.map((y) => ({
      year: y.year,
      fiscalFunds: money(y.fiscalFunds, unit),
      fiscalPercent: percent(y.fiscalPercent),
      jobs: formatCount(y.jobs),
      jobsPercent: percent(y.jobsPercent),
      purchases: money(y.purchases, unit),
      purchasesPercent: percent(y.purchasesPercent),
    })),
    childHeaders: CHILD_MEASURES.map((k) => t(`measure.${k}`)),
    childRows: page.children.map((c) => ({
      ...c,
      kindLabel: c.pairupKind ? t(`pairings.kind.${c.pairupKind}`) : '',
      figures: childFigures(c.totals),
    })),
    childSumFigures: childFigures(page.childSum),
  };
}

/**
 * The pairing's latest changes as they read: when, who, what, and a link to a changed record by its
 * name (its number when it has none left to show); an
 * import's changes as one line linking to the pairing's history, where it opens onto them.
 */
export function presentRecent(recent: Page['recent'], titles: Page['recentTitles'], pairingId: number, t: Translate) {
  return recent.map((r) => {
    const line = { when: formatDateTime(r.at), who: r.actorName ?? t('history.system') };
    if (r.importId !== null)
      return {
        ...line,
        what: t(r.action === 'undo-import' ? 'history.undoneImport' : 'history.imported', { count: r.count }),
        link: `/pairings/${pairingId}/history`,
        linkText: t('history.title'),
      };
    const title = titles.get(`${r.entity}:${r.entityId}`);
    return {
      ...line,
      what: `${t(`history.action.${r.action}`)} · ${t(`history.entity.${r.entity}`)}`,
      link: r.entity.startsWith('record.') ? `/records/${r.entity.slice('record.'.length)}/${r.entityId}` : null,
      linkText: title === undefined ? `#${r.entityId}` : entityTitleText(r.entity, title, t),
    };
  });
}
