import { expect } from 'chai';
import {
  applyQuota,
  bandOf,
  gradeFor,
  movement,
  percentOf,
  rank,
  scoreComputed,
  scoreJudged,
  worse,
} from '../../server/assessment/assessment.scoring.ts';

const ratio = { type: 'ratio_to_target' } as const;
const nbp = { type: 'not_below_previous' } as const;

describe('scoring rules', () => {
  it('when a value is measured against its target, then points × min(1, value ÷ target), in hundredths', () => {
    expect(scoreComputed(ratio, { points: 15, value: 4_000, target: 5_000, previous: null })).to.deep.equal({
      score: 1200,
      why: 'why.ratio',
    }); // 15 × 0.8 = 12
    expect(scoreComputed(ratio, { points: 10, value: 1, target: 3, previous: null }).score).to.equal(333); // 3.333… → 3.33
    expect(scoreComputed(ratio, { points: 10, value: 2, target: 3, previous: null }).score).to.equal(667); // 6.666… → 6.67
    expect(scoreComputed(ratio, { points: 15, value: 9_000, target: 5_000, previous: null })).to.deep.equal({
      score: 1500,
      why: 'why.targetMet',
    }); // capped
    expect(scoreComputed(ratio, { points: 15, value: 0, target: 5_000, previous: null }).score).to.equal(0);
    expect(scoreComputed(ratio, { points: 15, value: null, target: 5_000, previous: null }).score).to.equal(0);
  });

  it('when the target is missing or zero, then missing scores nothing and zero is met', () => {
    expect(scoreComputed(ratio, { points: 15, value: 100, target: null, previous: null })).to.deep.equal({
      score: 0,
      why: 'why.noTarget',
    });
    expect(scoreComputed(ratio, { points: 15, value: 0, target: 0, previous: null })).to.deep.equal({
      score: 1500,
      why: 'why.zeroTarget',
    });
  });

  it('when a value must not fall below last year, then full points at or above it, else the proportion', () => {
    expect(scoreComputed(nbp, { points: 10, value: 120, target: null, previous: 100 })).to.deep.equal({
      score: 1000,
      why: 'why.notBelow',
    });
    expect(scoreComputed(nbp, { points: 10, value: 100, target: null, previous: 100 }).score).to.equal(1000);
    expect(scoreComputed(nbp, { points: 10, value: 75, target: null, previous: 100 })).to.deep.equal({
      score: 750,
      why: 'why.belowPrevious',
    });
    expect(scoreComputed(nbp, { points: 10, value: 0, target: null, previous: 0 })).to.deep.equal({
      score: 1000,
      why: 'why.notBelow',
    }); // previous year of zero
    expect(scoreComputed(nbp, { points: 10, value: 5, target: null, previous: null })).to.deep.equal({
      score: 1000,
      why: 'why.noPrevious',
    });
  });

  it('when bands apply, then the highest threshold reached gives its points, capped at the indicator’s', () => {
    const bands = {
      type: 'bands',
      bands: [
        { min: 100, points: 2 },
        { min: 500, points: 4 },
        { min: 300, points: 3 },
        { min: 1000, points: 9 },
      ],
    } as const;
    expect(scoreComputed(bands, { points: 5, value: 50, target: null, previous: null })).to.deep.equal({
      score: 0,
      why: 'why.belowBands',
    });
    expect(scoreComputed(bands, { points: 5, value: 100, target: null, previous: null }).score).to.equal(200);
    expect(scoreComputed(bands, { points: 5, value: 499, target: null, previous: null }).score).to.equal(300);
    expect(scoreComputed(bands, { points: 5, value: 5000, target: null, previous: null }).score).to.equal(500); // 9 capped at 5
  });

  it('when the rule is yes/no, then any positive value earns the points', () => {
    expect(scoreComputed({ type: 'boolean' }, { points: 5, value: 1, target: null, previous: null }).score).to.equal(500);
    expect(scoreComputed({ type: 'boolean' }, { points: 5, value: 0, target: null, previous: null }).score).to.equal(0);
  });

  it('when evaluators judge, then the score is their mean and a spread above the tolerance is flagged', () => {
    expect(scoreJudged(10, [800, 900, 700], 20)).to.deep.equal({ score: 800, spread: 200, flagged: false }); // tolerance 2.00 points
    expect(scoreJudged(10, [500, 900], 20)).to.deep.equal({ score: 700, spread: 400, flagged: true });
    expect(scoreJudged(10, [333, 334], 20).score).to.equal(334); // 333.5 rounds half up
    expect(scoreJudged(10, [], 20)).to.deep.equal({ score: null, spread: 0, flagged: false });
  });
});

describe('grades, ranks and movement', () => {
  const cutoffs = { good: 90, fairlyGood: 75, average: 60 };

  it('when a percentage meets a cut-off, then it gets that grade (defaults 90/75/60)', () => {
    expect([95, 90, 89.99, 75, 74.99, 60, 59.99, 0].map((p) => gradeFor(p, cutoffs))).to.deep.equal([
      'good',
      'good',
      'fairlyGood',
      'fairlyGood',
      'average',
      'average',
      'poor',
      'poor',
    ]);
    expect(percentOf(8550, 9000)).to.equal(95);
    expect(percentOf(1, 3)).to.equal(33.33);
    expect(percentOf(0, 0)).to.equal(0);
  });

  it('when a veto caps a grade, then the lower of the two stands', () => {
    expect(worse('good', 'average')).to.equal('average');
    expect(worse('poor', 'average')).to.equal('poor');
  });

  it('when percentages tie, then ranks are shared and the next is skipped (1, 2, 2, 4)', () => {
    const ranked = rank([
      { k: 'a', percent: 70 },
      { k: 'b', percent: 88.5 },
      { k: 'c', percent: 70 },
      { k: 'd', percent: 91 },
      { k: 'e', percent: 60 },
    ]);
    expect(ranked.map((r) => `${r.k}${r.rank}`)).to.deep.equal(['d1', 'b2', 'a3', 'c3', 'e5']);
    expect(rank([{ percent: 1 }, { percent: 2 }, { percent: 2 }, { percent: 0 }]).map((r) => r.rank)).to.deep.equal([1, 1, 3, 4]);
  });

  it('when at most 30% of a group may be rated 好, then those beyond the quota by rank drop to 较好', () => {
    const group = rank([95, 94, 93, 92, 80, 70, 65, 60, 50, 40].map((percent, i) => ({ id: i, percent }))).map((r) => ({
      ...r,
      grade: gradeFor(r.percent, cutoffs),
    }));
    const after = applyQuota(group, 30);
    expect(after.filter((r) => r.grade === 'good').map((r) => r.percent)).to.deep.equal([95, 94, 93]);
    expect(after.find((r) => r.percent === 92)).to.include({ grade: 'fairlyGood', quotaApplied: true });
    expect(applyQuota(group, null).filter((r) => r.grade === 'good')).to.have.length(4);
  });

  it('when colour bands are read, then high-is-good and low-is-good both work', () => {
    const b = { onTrack: 90, progress: 60, highIsGood: true };
    expect([95, 70, 10, null].map((p) => bandOf(p, b))).to.deep.equal(['onTrack', 'progress', 'notOnTrack', null]);
    expect([5, 30, 80].map((p) => bandOf(p, { onTrack: 10, progress: 40, highIsGood: false }))).to.deep.equal([
      'onTrack',
      'progress',
      'notOnTrack',
    ]);
  });

  it('when this year is compared with last, then scores rise or fall and a smaller rank number is a rise', () => {
    expect(movement(80, 70)).to.equal('up');
    expect(movement(70, 80)).to.equal('down');
    expect(movement(70, 70)).to.equal('same');
    expect(movement(2, 5, true)).to.equal('up');
    expect(movement(5, 2, true)).to.equal('down');
    expect(movement(3, null)).to.equal(null);
  });
});
