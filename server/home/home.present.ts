import type { Db } from '../../db/client.ts';
import type { Translate } from '../lib/i18n.ts';
import { pairingsByIds } from '../pairings/pairings.queries.ts';
import { regionNames } from '../regions/regions.service.ts';
import type { boardOf, changesAfter } from './home.staff.ts';
import type { openReportsByProvince, recentAudit } from './home.roles.ts';
import { describeInputTarget } from '../assessment/assessment.describe.ts';

/** The home pages' numbers as the text and links they show (labels translated once, here). */

type Board = ReturnType<typeof boardOf>;

/** A cell's colour: met the full target, on the pro-rata pace, or behind it. */
function toneOf(cell: { percent: number | null; behind: boolean }): 'good' | 'pace' | 'behind' | 'none' {
  if (cell.percent === null) return 'none';
  if (cell.percent >= 100) return 'good';
  return cell.behind ? 'behind' : 'pace';
}

const keptRows = new WeakMap<Board['board'], Map<string, ReturnType<typeof presentRows>>>();

/** A board page's rows in words: kept per page (kept itself while its data stands) and language. */
function presentedRows(page: Board['board'], t: Translate, locale: string) {
  let byLocale = keptRows.get(page);
  if (!byLocale) keptRows.set(page, (byLocale = new Map()));
  let rows = byLocale.get(locale);
  if (!rows) byLocale.set(locale, (rows = presentRows(page, t)));
  return rows;
}

function presentRows(page: Board['board'], t: Translate) {
  return page.items.map((r) => ({
    id: r.id,
    pairing: r.pairing,
    level: t(`pairings.level.${r.level}`),
    myReport: r.myReport,
    myReportLabel: t(`reports.state.${r.myReport}`),
    partnerReportLabel:
      r.mySides.length === 1 ? t(`reports.state.${r.reports[r.mySides[0] === 'assisting' ? 'assisted' : 'assisting']}`) : null,
    hasAgreement: r.hasAgreement,
    cells: r.cells.map((c) => ({ ...c, tone: toneOf(c), label: t(`home.measure.${c.key}`) })),
    behind: r.behind.map((k) => t(`home.measure.${k}`)).join('、'),
  }));
}

/** The board with its filter links (year and what to show stay in the URL, so a view can be shared). */
export function presentBoard(board: Board, t: Translate, locale: string, region?: string) {
  const link = (show: string) => `?${region ? `region=${region}&` : ''}year=${board.year}&show=${show}#board`;
  const states = Object.entries(board.counts.reports).map(([state, n]) => ({
    state,
    n,
    label: t(`reports.state.${state}`),
    href: link(state),
    current: board.show === state,
  }));
  return {
    ...board,
    links: { all: link('all'), behind: link('behind'), noAgreement: link('noAgreement'), open: link('open') },
    states,
    showLabel: t(`home.show.${board.show}`),
    params: { region, year: board.year, show: board.show },
    years: [board.year + 1, board.year, board.year - 1, board.year - 2, board.year - 3],
    rows: presentedRows(board.board, t, locale),
    deadline: board.deadline ? { ...board.deadline, overdue: board.deadline.days < 0 ? -board.deadline.days : 0 } : null,
    assessment: board.assessment
      ? { ...board.assessment, overdue: board.assessment.days !== null && board.assessment.days < 0 ? -board.assessment.days : 0 }
      : null,
    stageLabel: board.assessment ? t(`stage.${board.assessment.stage}`) : null,
  };
}

/** The partner's changes with what each is about, in words. */
export function presentChanges<C extends { items: ReturnType<typeof changesAfter>['items'] }>(changes: C, t: Translate) {
  return {
    ...changes,
    items: changes.items.map((c) => ({
      ...c,
      actionLabel: t(`history.action.${c.action}`),
      kindLabel: t(`history.entity.${c.entity}`),
      href: c.action === 'delete' ? `/pairings/${c.pairingId}` : `/records/${c.kind}/${c.entityId}`,
    })),
  };
}

/** The admin's open reports by province, with each province's name and its board's link. */
export function presentOpenReports(db: Db, sections: ReturnType<typeof openReportsByProvince>) {
  return sections.map((open) => presentOpenYear(db, open));
}

function presentOpenYear(db: Db, open: ReturnType<typeof openReportsByProvince>[number]) {
  const names = regionNames(
    db,
    open.rows.map((r) => `${r.prefix}0000`),
  );
  return {
    ...open,
    overdueDays: open.overdue ? -open.days : 0,
    rows: open.rows.map((r) => ({
      ...r,
      name: names.get(`${r.prefix}0000`) ?? r.prefix,
      href: `/board?region=${r.prefix}&year=${open.year}&show=open#board`,
    })),
  };
}

/** A label when the language has one, else the code itself (audit actions of every domain). */
function labelOr(t: Translate, key: string, fallback: string): string {
  const text = t(key);
  return text === key ? fallback : text;
}

/** The admin's recent audit entries in words where the language has them. */
export function presentAudit(db: Db, rows: ReturnType<typeof recentAudit>, t: Translate, locale = 'zh-CN') {
  const ids = [...new Set(rows.flatMap((r) => (r.pairingId === null ? [] : [r.pairingId])))];
  const pairings = new Map(pairingsByIds(db, ids).map((p) => [p.id, p]));
  return rows.map((r) => ({
    ...r,
    pairing: r.pairingId === null ? null : (pairings.get(r.pairingId) ?? null),
    actionLabel: labelOr(t, `history.action.${r.action}`, r.action),
    entityLabel: labelOr(t, `history.entity.${r.entity}`, r.entity),
    // an id that is not a number is a composite key: said in words where its domain can, never shown raw
    entityId: /^\d+$/.test(r.entityId)
      ? r.entityId
      : r.entity === 'round.input'
        ? describeInputTarget(db, r.entityId, locale)
        : '',
  }));
}
