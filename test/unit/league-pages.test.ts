import { expect } from 'chai';
import { LEAGUE_OVERVIEW_ROWS, leagueView } from '../../server/assessment/assessment.year.routes.ts';
import type { GroupResult, ObjectResult } from '../../server/assessment/assessment.service.ts';
import { translator } from '../../server/lib/i18n.ts';

const t = translator('zh-CN');

/** A group of `n` objects ranked 1..n, percent falling with the rank. */
function group(key: string, n: number): GroupResult {
  const objects = Array.from({ length: n }, (_, i) => ({
    key: `${key}.${i + 1}`,
    name: `对象${String(n - i).padStart(4, '0')}`,
    rank: i + 1,
    percent: 100 - (i * 100) / n,
    grade: 'good',
    vetoes: [],
  })) as unknown as ObjectResult[];
  const average = objects.reduce((s, o) => s + o.percent, 0) / n;
  return { key, name: key, side: 'assisted', objects, average, gradeCounts: { good: 0, fairlyGood: 0, average: 0, poor: 0 } };
}

describe('league tables, page by page', () => {
  const groups = [group('county', 1373), group('province', 14)];

  it('when the year page opens, then each group shows its first ten and says how many there are', () => {
    const view = leagueView(groups, {}, t);
    const [county, province] = view.groups;
    expect(LEAGUE_OVERVIEW_ROWS).to.equal(10);
    expect(county!.rows.map((r) => r.rank)).to.deep.equal(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(county!.more).to.equal(true);
    expect(county!.result.total).to.equal(1373);
    expect(province!.rows.map((r) => r.rank)).to.deep.equal(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(province!.more).to.equal(true);
    expect(leagueView([group('small', 7)], {}, t).groups[0]!.more).to.equal(false);
  });

  it('when one group is asked page by page, then only it shows, 50 a page, and the last page holds the rest', () => {
    const page3 = leagueView(groups, { group: 'county', page: '3' }, t);
    expect(page3.groups.map((g) => g.key)).to.deep.equal(['county']);
    expect(page3.groups[0]!.rows[0]!.rank).to.equal(101);
    const last = leagueView(groups, { group: 'county', page: '999' }, t).groups[0]!;
    expect(last.result).to.deep.equal({ page: 28, pages: 28, total: 1373 });
    expect(last.rows.map((r) => r.rank)).to.deep.equal(Array.from({ length: 23 }, (_, i) => 1351 + i));
  });

  it('when sorted by name or filtered below the average, then the page is cut after sorting and filtering', () => {
    const byName = leagueView(groups, { group: 'county', sort: 'name' }, t).groups[0]!;
    expect(byName.rows[0]!.name).to.equal('对象0001');
    const below = leagueView(groups, { group: 'county', filter: 'below' }, t).groups[0]!;
    expect(below.rows.every((r) => r.percent < below.average)).to.equal(true);
    expect(below.result.total).to.be.below(1373).and.above(600);
  });

  it('when an unknown group or a bad page is asked, then every group shows its first page', () => {
    const view = leagueView(groups, { group: 'nope', page: 'x' }, t);
    expect(view.groups.map((g) => g.key)).to.deep.equal(['county', 'province']);
    expect(view.group).to.equal(undefined);
  });
});
