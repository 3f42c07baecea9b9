import { prefixOfCode } from '../regions/regions.service.ts';
import { objectKey, type IndicatorMeasure, type FrameworkDoc, type Indicator, type Side } from './assessment.framework.ts';
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
  type Band,
  type Grade,
} from './assessment.scoring.ts';
import type { ObjectValues } from './assessment.values.ts';

export interface RoundInput {
  objectKey: string;
  indicatorKey: string;
  kind: string;
  userId: number;
  score: number | null;
  text: string | null;
}

export interface IndicatorResult {
  key: string;
  name: { zh: string; en: string };
  area: string;
  max: number;
  rule: Indicator['rule'];
  measure: IndicatorMeasure | null;
  value: number | null;
  target: number | null;
  percentOfTarget: number | null;
  previous: number | null;
  score: number | null;
  why: string;
  band: Band | null;
  notApplicable: string | null;
  judged: { count: number; spread: number; flagged: boolean; moderated: boolean } | null;
}

export interface ObjectResult {
  key: string;
  name: string;
  side: Side;
  indicators: IndicatorResult[];
  total: number;
  max: number;
  percent: number;
  grade: Grade;
  vetoes: { key: string; name: string; reason: string }[];
  quotaApplied: boolean;
  rank: number;
  pending: number;
  flagged: number;
  previous: { rank: number; percent: number } | null;
  scoreMove: 'up' | 'down' | 'same' | null;
  rankMove: 'up' | 'down' | 'same' | null;
}

export interface GroupResult {
  key: string;
  name: string;
  side: Side;
  objects: ObjectResult[];
  /** How many objects the whole group holds (set where a reader is shown only some of them). */
  size?: number;
  average: number;
  gradeCounts: Record<Grade, number>;
}

/** Where a measure's records are listed, for the "why" panel. */
const RECORD_LINKS: Partial<Record<IndicatorMeasure, string>> = {
  fiscalFunds: 'funds?kind=fiscal',
  socialFunds: 'funds?kind=social',
  confirmedShare: 'funds?',
  transfers: 'funds?',
  cadresSent: 'talents?kind=cadre&direction=to_west',
  cadresReceived: 'talents?kind=cadre&direction=to_east',
  professionalsSent: 'talents?kind=professional&direction=to_west',
  professionalsReceived: 'talents?kind=professional&direction=to_east',
  peopleTrained: 'talents?kind=training',
  enterprises: 'projects?kind=project',
  investment: 'projects?',
  parks: 'projects?kind=park',
  workshops: 'projects?kind=workshop',
  jobsCreated: 'projects?',
  jobs: 'labour?',
  jobsFormerlyPoor: 'labour?',
  purchases: 'consumption?',
};

/** The records behind an indicator of an object (the "why" panel links here). */
export function recordsLink(measure: IndicatorMeasure, objectKey: string, year: number): string {
  const region = /^r\.\w+\.(\d{6})$/.exec(objectKey)?.[1];
  const pairing = /^p\.(\d+)$/.exec(objectKey)?.[1];
  if (measure === 'pairups')
    return region ? `/pairings?level=pairup&region=${prefixOfCode(region)}` : `/pairings?parentId=${pairing}`;
  const base = RECORD_LINKS[measure] ?? 'funds?';
  const scope = region ? `region=${prefixOfCode(region)}` : `pairing=${pairing}`;
  return `/records/${base}${base.endsWith('?') ? '' : '&'}${scope}&year=${year}`;
}

/**
 * Scores every object of every group: indicators by their rule (computed from the values, or judged
 * from the evaluators' inputs), not-applicable points leave the maximum, grades by cut-off then capped
 * by vetoes, ranks with ties, the group's quota of 好, and the movement against last year's results.
 */
export function computeScorecards(
  doc: FrameworkDoc,
  year: number,
  values: Map<string, ObjectValues>,
  inputs: readonly RoundInput[],
  names: Map<string, string>,
  previous: Map<string, { rank: number; percent: number }> | null,
): GroupResult[] {
  const byObject = new Map<string, RoundInput[]>();
  for (const i of inputs) (byObject.get(i.objectKey) ?? byObject.set(i.objectKey, []).get(i.objectKey)!).push(i);
  const vetoNames = new Map(doc.grading.vetoes.map((v) => [v.key, v]));

  return doc.objects.groups.map((group) => {
    const scored = group.members.map((member) => {
      const key = objectKey(member, group.side);
      const v = values.get(key)!;
      const mine = byObject.get(key) ?? [];
      const indicators = doc.content.indicators
        .filter((i) => i.side === 'both' || i.side === group.side)
        .map((ind) => scoreIndicator(ind, v, mine, doc.content.judgedTolerancePercent));
      const applicable = indicators.filter((i) => i.notApplicable === null);
      const total = applicable.reduce((n, i) => n + (i.score ?? 0), 0);
      const max = applicable.reduce((n, i) => n + i.max, 0);
      const percent = percentOf(total, max);
      const vetoes = mine
        .filter((i) => i.kind === 'veto' && vetoNames.has(i.indicatorKey))
        .map((i) => ({ key: i.indicatorKey, name: vetoNames.get(i.indicatorKey)!.name, reason: i.text ?? '' }));
      const grade = vetoes.reduce<Grade>(
        (g, veto) => worse(g, vetoNames.get(veto.key)!.cap),
        gradeFor(percent, doc.grading.cutoffs),
      );
      return {
        key,
        name: names.get(key) ?? key,
        side: group.side,
        indicators,
        total,
        max,
        percent,
        grade,
        vetoes,
        pending: applicable.filter((i) => i.score === null).length,
        flagged: applicable.filter((i) => i.judged?.flagged).length,
      };
    });
    const objects: ObjectResult[] = applyQuota(rank(scored), doc.grading.quotaGoodPercent).map((o) => {
      const prev = previous?.get(o.key) ?? null;
      return {
        ...o,
        previous: prev,
        scoreMove: movement(o.percent, prev?.percent ?? null),
        rankMove: movement(o.rank, prev?.rank ?? null, true),
      };
    });
    const gradeCounts = { good: 0, fairlyGood: 0, average: 0, poor: 0 } as Record<Grade, number>;
    for (const o of objects) gradeCounts[o.grade] += 1;
    const average =
      objects.length > 0 ? Math.round((objects.reduce((n, o) => n + o.percent, 0) / objects.length) * 100) / 100 : 0;
    return { key: group.key, name: group.name, side: group.side, objects, average, gradeCounts };
  });
}

// Built as literals, not spreads: this runs once per indicator of every object (≈20k per year).
function scoreIndicator(ind: Indicator, v: ObjectValues, inputs: RoundInput[], tolerance: number): IndicatorResult {
  const max = Math.round(ind.points * 100);
  let notApplicable: string | null = null;
  // an objection accepted in the feedback stage replaces the score, whatever the rule gave
  let accepted: number | null = null;
  for (const i of inputs) {
    if (i.indicatorKey !== ind.key) continue;
    if (i.kind === 'na') notApplicable = i.text ?? '';
    else if (i.kind === 'reply' && i.score !== null) accepted = i.score;
  }
  const result = scoreByRule(ind, v, inputs, tolerance, max, notApplicable);
  if (accepted === null) return result;
  result.score = accepted;
  result.why = 'why.objectionAccepted';
  result.band = bandOf((accepted * 100) / max, ind.bands);
  if (result.judged) result.judged.flagged = false;
  return result;
}

function scoreByRule(
  ind: Indicator,
  v: ObjectValues,
  inputs: RoundInput[],
  tolerance: number,
  max: number,
  notApplicable: string | null,
): IndicatorResult {
  if (ind.rule.type === 'judged') {
    const scores: number[] = [];
    let moderated: RoundInput | undefined;
    for (const i of inputs) {
      if (i.indicatorKey !== ind.key) continue;
      if (i.kind === 'judged' && i.score !== null) scores.push(i.score);
      if (i.kind === 'moderated') moderated = i;
    }
    const judged = scoreJudged(ind.points, scores, tolerance);
    const score = moderated?.score ?? judged.score;
    const why = moderated ? 'why.moderated' : judged.score === null ? 'why.pending' : judged.flagged ? 'why.spread' : 'why.mean';
    return {
      key: ind.key,
      name: ind.name,
      area: ind.area,
      max,
      rule: ind.rule,
      notApplicable,
      measure: null,
      value: null,
      target: null,
      percentOfTarget: null,
      previous: null,
      score,
      why,
      band: bandOf(score === null ? null : (score * 100) / max, ind.bands),
      judged: {
        count: scores.length,
        spread: judged.spread,
        flagged: judged.flagged && !moderated,
        moderated: moderated !== undefined,
      },
    };
  }
  const measure = ind.rule.measure;
  const value = v.current[measure];
  const previous = v.previous[measure];
  const target = v.targets[measure] ?? null;
  const scored = scoreComputed(ind.rule.scoring, { points: ind.points, value, target, previous });
  const percentOfTarget = target !== null && target > 0 && value !== null ? Math.round((value * 1000) / target) / 10 : null;
  return {
    key: ind.key,
    name: ind.name,
    area: ind.area,
    max,
    rule: ind.rule,
    notApplicable,
    measure,
    value,
    target,
    percentOfTarget,
    previous,
    score: scored.score,
    why: scored.why,
    band: bandOf(percentOfTarget ?? (scored.score * 100) / max, ind.bands),
    judged: null,
  };
}
