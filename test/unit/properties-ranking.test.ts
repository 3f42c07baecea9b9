import { expect } from 'chai';
import fc from 'fast-check';
import { orderedRows, type LeagueFilter, type LeagueSort } from '../../server/assessment/assessment.league.ts';
import type { GroupResult, ObjectResult } from '../../server/assessment/assessment.scorecards.ts';
import { applyQuota, grades, rank } from '../../server/assessment/assessment.scoring.ts';

/**
 * Ranking with ties. `rank` (assessment.scoring.ts) gives standard competition ranking: objects are
 * ordered by percentage, highest first; equal percentages share a rank and the next rank skips
 * (1, 2, 2, 4), so an object's rank is 1 + the number of objects with a strictly higher percentage.
 * Tied objects keep the order they came in (the group's order in the framework).
 */

/** Percentages as computeScorecards gives them (two decimals, 0–100), few distinct ones so ties abound. */
const percent = fc.oneof(
  fc.integer({ min: 0, max: 10 }).map((n) => n * 10),
  fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
);
const items = fc
  .array(fc.record({ percent, grade: fc.constantFrom(...grades) }), { maxLength: 40 })
  .map((xs) => xs.map((x, id) => ({ id, ...x })));

describe('properties: ranking', () => {
  it('when objects are ranked, then the result is a permutation of them, highest percentage first, tied ones in their order', () => {
    fc.assert(
      fc.property(items, (input) => {
        const out = rank(input);
        expect(out.map((o) => o.id).sort((a, b) => a - b)).to.deep.equal(input.map((o) => o.id));
        for (const o of out) expect({ ...o, rank: undefined }).to.deep.equal({ ...input[o.id], rank: undefined });
        for (let i = 1; i < out.length; i++) {
          const [a, b] = [out[i - 1]!, out[i]!];
          expect(a.percent).to.be.at.least(b.percent);
          if (a.percent === b.percent) expect(a.id, 'ties keep their order').to.be.below(b.id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('when objects are ranked, then ties share a rank and each rank is 1 + the number of objects strictly ahead (1, 2, 2, 4)', () => {
    fc.assert(
      fc.property(items, (input) => {
        const out = rank(input);
        for (const [i, o] of out.entries()) {
          expect(o.rank).to.equal(1 + input.filter((x) => x.percent > o.percent).length);
          expect(o.rank).to.be.at.most(i + 1); // ranks never run ahead of the position
          if (i > 0) expect(o.rank > out[i - 1]!.rank).to.equal(o.percent < out[i - 1]!.percent);
        }
        if (out.length > 0) expect(out[0]!.rank).to.equal(1);
      }),
      { numRuns: 300 },
    );
  });

  it('when a quota of 好 applies, then at most that share of the group keeps 好, only 好 drops (to 较好), and tied objects keep one grade', () => {
    fc.assert(
      fc.property(items, fc.option(fc.integer({ min: 0, max: 100 })), (input, quota) => {
        const ranked = rank(input);
        const out = applyQuota(ranked, quota);
        expect(out.map((o) => o.id)).to.deep.equal(ranked.map((o) => o.id));
        const good = out.filter((o) => o.grade === 'good').length;
        if (quota !== null) expect(good).to.be.at.most(Math.floor((input.length * quota) / 100));
        out.forEach((o, i) => {
          const before = ranked[i]!.grade;
          expect(o.quotaApplied).to.equal(o.grade !== before);
          if (o.quotaApplied) expect([before, o.grade]).to.deep.equal(['good', 'fairlyGood']);
          // two objects of one rank and one grade before keep one grade after
          for (const p of out.slice(i + 1))
            if (p.rank === o.rank && ranked.find((r) => r.id === p.id)!.grade === before) expect(p.grade).to.equal(o.grade);
        });
        // the quota takes 好 from the bottom: no 好 kept below one that dropped
        const dropped = out.filter((o) => o.quotaApplied).map((o) => o.rank);
        for (const o of out) if (o.grade === 'good' && dropped.length > 0) expect(o.rank).to.be.below(Math.min(...dropped));
      }),
      { numRuns: 300 },
    );
  });

  it('when a league table is sorted and filtered, then it shows exactly the objects the filter keeps, in the order asked', () => {
    const sorts: LeagueSort[] = ['rank', 'percent', 'name'];
    const filters: LeagueFilter[] = ['all', 'above', 'below'];
    const names = fc.constantFrom('江苏省', '陕西省', '贵州省', '广东省', '北京市', '青海省', 'A', 'b');
    fc.assert(
      fc.property(
        fc.array(fc.record({ percent, name: names }), { maxLength: 30 }),
        fc.constantFrom(...sorts),
        fc.constantFrom(...filters),
        (rows, sort, filter) => {
          const objects = rank(rows.map((r, i) => ({ ...r, key: `p.${i + 1}` }))) as unknown as ObjectResult[];
          const average = objects.length ? objects.reduce((n, o) => n + o.percent, 0) / objects.length : 0;
          const group = { key: 'g', name: '组', side: 'assisted', objects, average } as GroupResult;
          const order = objects.map((o) => o.key);
          const out = orderedRows(group, sort, filter);
          const kept = objects.filter((o) => filter === 'all' || (filter === 'above') === o.percent >= average);
          expect(out.map((o) => o.key).sort()).to.deep.equal(kept.map((o) => o.key).sort());
          const collator = new Intl.Collator('zh-CN');
          for (let i = 1; i < out.length; i++) {
            const [a, b] = [out[i - 1]!, out[i]!];
            if (sort === 'rank') expect(a.rank).to.be.at.most(b.rank);
            if (sort === 'percent') expect(a.percent).to.be.at.least(b.percent);
            if (sort === 'name') expect(collator.compare(a.name, b.name)).to.be.at.most(0);
          }
          // the table is kept per group: asking again gives the same rows; the group's own order is untouched
          expect(orderedRows(group, sort, filter)).to.equal(out);
          expect(group.objects.map((o) => o.key)).to.deep.equal(order);
        },
      ),
      { numRuns: 300 },
    );
  });
});
