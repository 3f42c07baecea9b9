import { expect } from 'chai';
import fc from 'fast-check';
import { defaultFramework } from '../../server/assessment/assessment.defaults.ts';
import { INDICATOR_MEASURES, type FrameworkDoc, type Indicator } from '../../server/assessment/assessment.framework.ts';
import { computeScorecards, type RoundInput } from '../../server/assessment/assessment.scorecards.ts';
import { scoreComputed, scoreJudged } from '../../server/assessment/assessment.scoring.ts';
import type { ObjectValues, Values } from '../../server/assessment/assessment.values.ts';
import { MEASURES } from '../../server/records/records.service.ts';

/**
 * Scoring for random frameworks and facts. Scores are hundredths of a point; an indicator of
 * `points` has the maximum round(points × 100). Not applicable (an `na` input) takes an indicator
 * out of both the object's total and its maximum (assessment.scorecards.ts).
 */

/** Points as the framework allows them: positive, at most 100, usually in hundredths. */
const points = fc.oneof(
  fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100),
  fc.double({ min: 0.001, max: 100, noNaN: true }),
);
/** Counts, people and fen: never negative (the app refuses negative amounts), sometimes large. */
const quantity = fc.oneof(fc.nat(20), fc.nat(1_000_000), fc.nat(2 ** 43));
/** The scoring of a computed indicator, as the framework document holds it. */
type RuleScoring = Extract<Indicator['rule'], { type: 'computed' }>['scoring'];
const scoring: fc.Arbitrary<RuleScoring> = fc.oneof(
  fc.constant({ type: 'ratio_to_target' as const }),
  fc.constant({ type: 'not_below_previous' as const }),
  fc.constant({ type: 'boolean' as const }),
  fc.record({
    type: fc.constant('bands' as const),
    bands: fc.array(fc.record({ min: quantity, points: fc.double({ min: 0, max: 150, noNaN: true }) }), {
      minLength: 1,
      maxLength: 4,
    }),
  }),
);

const indicatorOf = (k: number, p: number, rule: Indicator['rule']): Indicator => ({
  key: `ind${k}`,
  name: { zh: `指标${k}`, en: `Indicator ${k}` },
  area: 'area',
  points: p,
  side: 'both',
  rule,
  bands: { onTrack: 90, progress: 60, highIsGood: true },
});
const rule: fc.Arbitrary<Indicator['rule']> = fc.oneof(
  fc.constant({ type: 'judged' as const }),
  fc.record({ type: fc.constant('computed' as const), measure: fc.constantFrom(...INDICATOR_MEASURES), scoring }),
);
const valuesOf = fc
  .record({
    totals: fc.array(quantity, { minLength: MEASURES.length, maxLength: MEASURES.length }),
    confirmedShare: fc.option(fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100)),
  })
  .map(({ totals, confirmedShare }) => ({
    ...(Object.fromEntries(MEASURES.map((m, i) => [m.key, totals[i]!])) as Omit<Values, 'confirmedShare'>),
    confirmedShare,
  }));

interface Scenario {
  doc: FrameworkDoc;
  keys: string[];
  values: Map<string, ObjectValues>;
  inputs: RoundInput[];
}

/** One group of 1–6 pairing objects, 1–6 indicators, and each object's facts and round inputs. */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    indicators: fc.array(fc.tuple(points, rule), { minLength: 1, maxLength: 6 }),
    objects: fc.integer({ min: 1, max: 6 }),
    side: fc.constantFrom('assisting' as const, 'assisted' as const),
  })
  .chain(({ indicators, objects, side }) => {
    const inds = indicators.map(([p, r], k) => indicatorOf(k, p, r));
    const keys = Array.from({ length: objects }, (_, n) => `p.${n + 1}`);
    // per object and indicator: evaluators' scores, a moderation, an n/a mark, an accepted objection
    const marks = fc.array(
      fc.tuple(
        ...inds.map((ind) => {
          const score = fc.integer({ min: 0, max: Math.round(ind.points * 100) });
          return fc.record({
            judged: fc.array(score, { maxLength: 3 }),
            moderated: fc.option(score, { freq: 4 }),
            na: fc.boolean(),
            reply: fc.option(score, { freq: 4 }),
          });
        }),
      ),
      { minLength: objects, maxLength: objects },
    );
    const facts = fc.array(
      fc.record({
        current: valuesOf,
        previous: valuesOf,
        targets: fc.dictionary(fc.constantFrom(...INDICATOR_MEASURES), quantity, { maxKeys: 6 }),
      }),
      { minLength: objects, maxLength: objects },
    );
    return fc.tuple(marks, facts).map(([marksOf, factsOf]): Scenario => {
      // the shipped framework with what the scores do not read left out (shorter counterexamples)
      const doc = defaultFramework(2025, [1]);
      doc.organisation.teams = [];
      doc.steps = [];
      doc.content.areas = [];
      doc.grading.vetoes = [];
      doc.content.indicators = inds;
      doc.objects.groups = [
        { key: 'g', name: '组', side, members: keys.map((_, n) => ({ kind: 'pairing' as const, pairingId: n + 1 })) },
      ];
      const values = new Map<string, ObjectValues>();
      const inputs: RoundInput[] = [];
      keys.forEach((key, n) => {
        const f = factsOf[n]!;
        values.set(key, { key, side, member: { kind: 'pairing', pairingId: n + 1 }, ...f });
        marksOf[n]!.forEach((m, k) => {
          const indicatorKey = inds[k]!.key;
          const add = (kind: string, score: number | null, userId = 1) =>
            inputs.push({ objectKey: key, indicatorKey, kind, userId, score, text: '' });
          if (inds[k]!.rule.type === 'judged') {
            m.judged.forEach((score, e) => add('judged', score, e + 1));
            if (m.moderated !== null) add('moderated', m.moderated);
          }
          if (m.na) add('na', null);
          else if (m.reply !== null) add('reply', m.reply);
        });
      });
      return { doc, keys, values, inputs };
    });
  });

describe('properties: scoring', () => {
  it('when a computed rule scores any facts, then the score lies between 0 and the indicator’s points', () => {
    fc.assert(
      fc.property(
        scoring,
        points,
        fc.option(quantity),
        fc.option(quantity),
        fc.option(quantity),
        (rule, p, value, target, previous) => {
          const { score } = scoreComputed(rule, { points: p, value, target, previous });
          expect(Number.isInteger(score), String(score)).to.equal(true);
          expect(score).to.be.within(0, Math.round(p * 100));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('when evaluators each give a score within the points, then the judged score (their mean) lies within them too', () => {
    fc.assert(
      fc.property(
        points.chain((p) =>
          fc.tuple(fc.constant(p), fc.array(fc.integer({ min: 0, max: Math.round(p * 100) }), { maxLength: 6 })),
        ),
        fc.integer({ min: 0, max: 100 }),
        ([p, scores], tolerance) => {
          const { score } = scoreJudged(p, scores, tolerance);
          if (scores.length === 0) expect(score).to.equal(null);
          else expect(score).to.be.within(Math.min(...scores), Math.max(...scores));
        },
      ),
    );
  });

  it('when a whole framework is scored on random facts and inputs, then no indicator scores below 0 or above its points, and no object above 100%', () => {
    fc.assert(
      fc.property(scenario, ({ doc, values, inputs }) => {
        for (const group of computeScorecards(doc, 2025, values, inputs, new Map(), null)) {
          for (const o of group.objects) {
            for (const i of o.indicators) {
              const ind = doc.content.indicators.find((x) => x.key === i.key)!;
              expect(i.max).to.equal(Math.round(ind.points * 100));
              if (i.score !== null) expect(i.score, i.key).to.be.within(0, i.max);
            }
            expect(o.total).to.be.within(0, o.max);
            expect(o.percent).to.be.within(0, 100);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('when an indicator is marked not applicable, then the others score as before and the percentage is theirs alone: never below what it would be had that indicator scored 0', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) =>
          fc.record({
            s: fc.constant(s),
            object: fc.nat(s.keys.length - 1),
            indicator: fc.nat(s.doc.content.indicators.length - 1),
          }),
        ),
        ({ s, object, indicator }) => {
          const key = s.keys[object]!;
          const ind = s.doc.content.indicators[indicator]!;
          // the indicator's own marks on that object go; then it is either n/a or given 0 on objection
          const others = s.inputs.filter((i) => !(i.objectKey === key && i.indicatorKey === ind.key));
          const mark = (kind: string, score: number | null): RoundInput[] => [
            ...others,
            { objectKey: key, indicatorKey: ind.key, kind, userId: 9, score, text: 'x' },
          ];
          const of = (inputs: RoundInput[]) =>
            computeScorecards(s.doc, 2025, s.values, inputs, new Map(), null)
              .flatMap((g) => g.objects)
              .find((o) => o.key === key)!;
          const na = of(mark('na', null));
          const zero = of(mark('reply', 0));
          const rest = (o: typeof na) => o.indicators.filter((i) => i.key !== ind.key);
          expect(rest(na)).to.deep.equal(rest(zero));
          const applicable = rest(na).filter((i) => i.notApplicable === null);
          const total = applicable.reduce((n, i) => n + (i.score ?? 0), 0);
          const max = applicable.reduce((n, i) => n + i.max, 0);
          expect([na.total, na.max]).to.deep.equal([total, max]);
          // the percentage to the hundredth, worked out here rather than by the app's own helper
          expect(na.percent).to.be.closeTo(max > 0 ? (total / max) * 100 : 0, 0.005 + 1e-9);
          expect(na.percent).to.be.at.least(zero.percent);
        },
      ),
      { numRuns: 150 },
    );
  });
});
