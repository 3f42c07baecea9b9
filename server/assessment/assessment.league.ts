import type { GroupResult, ObjectResult } from './assessment.scorecards.ts';

const byName = new Intl.Collator('zh-CN');
const ORDER = {
  rank: (a: ObjectResult, b: ObjectResult) => a.rank - b.rank,
  percent: (a: ObjectResult, b: ObjectResult) => b.percent - a.percent,
  name: (a: ObjectResult, b: ObjectResult) => byName.compare(a.name, b.name),
};
export type LeagueSort = keyof typeof ORDER;
export type LeagueFilter = 'all' | 'above' | 'below';

/**
 * A group's rows filtered (above or below the group's average) and sorted as asked, for the league
 * tables of the year page and of the read API; kept while its results stand (the same group
 * object comes back).
 */
const ordered = new WeakMap<GroupResult, Map<string, ObjectResult[]>>();
export function orderedRows(g: GroupResult, sort: LeagueSort, filter: LeagueFilter) {
  let byQuery = ordered.get(g);
  if (!byQuery) ordered.set(g, (byQuery = new Map()));
  let rows = byQuery.get(`${sort} ${filter}`);
  if (!rows) {
    rows = g.objects
      .filter((o) => filter === 'all' || (filter === 'above' ? o.percent >= g.average : o.percent < g.average))
      .sort(ORDER[sort]);
    byQuery.set(`${sort} ${filter}`, rows);
  }
  return rows;
}
