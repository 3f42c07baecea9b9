/**
 * The scoring rules, as pure functions. Scores are integer hundredths of a point (a score of
 * 12.5 points is 1250) so sums and ties are exact; ratios round half up to the hundredth.
 */
export type Scoring =
  | { type: 'ratio_to_target' }
  | { type: 'not_below_previous' }
  | { type: 'bands'; bands: readonly { min: number; points: number }[] }
  | { type: 'boolean' };

export interface ComputedInput {
  points: number;
  value: number | null;
  target: number | null;
  previous: number | null;
}

/** A score and the reason it came out that way (an i18n key under `why.`). */
export interface Scored {
  score: number;
  why: string;
}

const hundredths = (points: number) => Math.round(points * 100);
const portion = (points: number, numerator: number, denominator: number) => Math.round((points * 100 * numerator) / denominator);

export function scoreComputed(rule: Scoring, input: ComputedInput): Scored {
  const full = hundredths(input.points);
  const value = input.value ?? 0;
  switch (rule.type) {
    case 'ratio_to_target':
      // points × min(1, value ÷ target); no agreement target scores nothing (the object may be marked n/a),
      // a target of zero asked for nothing and is met.
      if (input.target === null) return { score: 0, why: 'why.noTarget' };
      if (input.target <= 0) return { score: full, why: 'why.zeroTarget' };
      if (value >= input.target) return { score: full, why: 'why.targetMet' };
      return { score: portion(input.points, value, input.target), why: 'why.ratio' };
    case 'not_below_previous':
      // full points when value ≥ previous year's; otherwise points × value ÷ previous.
      if (input.previous === null) return { score: full, why: 'why.noPrevious' };
      if (value >= input.previous) return { score: full, why: 'why.notBelow' };
      return { score: portion(input.points, value, input.previous), why: 'why.belowPrevious' };
    case 'bands': {
      // the points of the highest threshold the value reaches, never more than the indicator's points
      const reached = [...rule.bands].sort((a, b) => b.min - a.min).find((b) => value >= b.min);
      return { score: Math.min(full, hundredths(reached?.points ?? 0)), why: reached ? 'why.band' : 'why.belowBands' };
    }
    case 'boolean':
      return value > 0 ? { score: full, why: 'why.yes' } : { score: 0, why: 'why.no' };
  }
}

/** Judged indicators: the mean of the evaluators' scores; a spread above the tolerance is flagged. */
export function scoreJudged(
  points: number,
  scores: readonly number[],
  tolerancePercent: number,
): { score: number | null; spread: number; flagged: boolean } {
  if (scores.length === 0) return { score: null, spread: 0, flagged: false };
  const mean = Math.round(scores.reduce((a, b) => a + b, 0) / scores.length);
  const spread = Math.max(...scores) - Math.min(...scores);
  return { score: mean, spread, flagged: spread > Math.round(points * tolerancePercent) };
}

export const grades = ['good', 'fairlyGood', 'average', 'poor'] as const;
export type Grade = (typeof grades)[number];
export interface Cutoffs {
  good: number;
  fairlyGood: number;
  average: number;
}

/** Percentage of the applicable maximum, to two decimals. */
export function percentOf(total: number, max: number): number {
  return max > 0 ? Math.round((total * 10000) / max) / 100 : 0;
}

export function gradeFor(percent: number, cutoffs: Cutoffs): Grade {
  if (percent >= cutoffs.good) return 'good';
  if (percent >= cutoffs.fairlyGood) return 'fairlyGood';
  if (percent >= cutoffs.average) return 'average';
  return 'poor';
}

/** The lower of two grades (a veto caps a grade, it never raises one). */
export function worse(a: Grade, b: Grade): Grade {
  return grades.indexOf(a) >= grades.indexOf(b) ? a : b;
}

/** Competition ranking: equal percentages share a rank and the next rank skips (1, 2, 2, 4). */
export function rank<T extends { percent: number }>(items: readonly T[]): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => b.percent - a.percent);
  const out: (T & { rank: number })[] = [];
  sorted.forEach((item, i) => {
    const tied = i > 0 && sorted[i - 1]!.percent === item.percent;
    out.push({ ...item, rank: tied ? out[i - 1]!.rank : i + 1 });
  });
  return out;
}

/**
 * At most `quotaPercent` of a group may be rated 好: those beyond the quota, by rank, drop to 较好.
 * Ties at the boundary are kept together only if they all fit; otherwise the tied ones drop too.
 */
export function applyQuota<T extends { grade: Grade; rank: number }>(
  ranked: readonly T[],
  quotaPercent: number | null,
): (T & { quotaApplied: boolean })[] {
  if (quotaPercent === null) return ranked.map((r) => ({ ...r, quotaApplied: false }));
  const allowed = Math.floor((ranked.length * quotaPercent) / 100);
  return ranked.map((r) => {
    const beyond = r.grade === 'good' && ranked.filter((o) => o.grade === 'good' && o.rank <= r.rank).length > allowed;
    return { ...r, grade: beyond ? 'fairlyGood' : r.grade, quotaApplied: beyond };
  });
}

/** DHIS2-style colour band of an achievement percentage. */
export type Band = 'onTrack' | 'progress' | 'notOnTrack';
export function bandOf(percent: number | null, b: { onTrack: number; progress: number; highIsGood: boolean }): Band | null {
  if (percent === null) return null;
  if (b.highIsGood) return percent >= b.onTrack ? 'onTrack' : percent >= b.progress ? 'progress' : 'notOnTrack';
  return percent <= b.onTrack ? 'onTrack' : percent <= b.progress ? 'progress' : 'notOnTrack';
}

/** ▲ / ▼ / = against the previous year: for ranks, a smaller number is better. */
export function movement(current: number | null, previous: number | null, lowerIsBetter = false): 'up' | 'down' | 'same' | null {
  if (current === null || previous === null) return null;
  if (current === previous) return 'same';
  return current > previous !== lowerIsBetter ? 'up' : 'down';
}
