import { NotFoundError, ValidationError } from '../lib/errors.ts';
import type { FrameworkDoc, Indicator, IndicatorMeasure } from './assessment.framework.ts';

/**
 * Edits of a framework document, one item at a time, as pure functions (doc in, doc out): what the
 * framework page's forms do. Keys are made here when not typed; users read names. Whether the result
 * holds together is the running check's business (assessment.editor.check.ts).
 */

export type Direction = 'up' | 'down';
export const SCORINGS = ['ratio_to_target', 'not_below_previous', 'bands', 'boolean', 'judged'] as const;
export type ScoringChoice = (typeof SCORINGS)[number];

export interface AreaInput {
  key?: string | undefined;
  zh: string;
  en?: string | undefined;
}

export interface IndicatorInput {
  key?: string | undefined;
  zh: string;
  en?: string | undefined;
  area: string;
  points: number;
  side: Indicator['side'];
  scoring: ScoringChoice;
  measure?: IndicatorMeasure | undefined;
  bands: { min: number; points: number }[];
}

export interface GradingInput {
  good: number;
  fairlyGood: number;
  average: number;
  quota: number | null;
  tolerance: number;
}

export interface VetoInput {
  key?: string | undefined;
  name: string;
  cap: FrameworkDoc['grading']['vetoes'][number]['cap'];
}

/** A key not yet in `taken`: the typed one, else `prefix` followed by the first free number. */
function keyFor(typed: string | undefined, prefix: string, taken: readonly string[]): string {
  if (typed) {
    if (taken.includes(typed)) throw new ValidationError({ key: { key: 'framework.keyTaken' } });
    return typed;
  }
  for (let n = taken.length + 1; ; n++) if (!taken.includes(`${prefix}${n}`)) return `${prefix}${n}`;
}

const with_ = (doc: FrameworkDoc, content: Partial<FrameworkDoc['content']>): FrameworkDoc => ({
  ...doc,
  content: { ...doc.content, ...content },
});

function moved<T>(list: readonly T[], index: number, to: number): T[] {
  const out = [...list];
  if (to < 0 || to >= out.length) return out;
  [out[index], out[to]] = [out[to]!, out[index]!];
  return out;
}

// ── areas ──────────────────────────────────────────────────────────────────────────────────────

export function addArea(doc: FrameworkDoc, input: AreaInput): FrameworkDoc {
  const key = keyFor(
    input.key,
    'area',
    doc.content.areas.map((a) => a.key),
  );
  return with_(doc, { areas: [...doc.content.areas, { key, name: { zh: input.zh, en: input.en || input.zh } }] });
}

function areaIndex(doc: FrameworkDoc, key: string): number {
  const i = doc.content.areas.findIndex((a) => a.key === key);
  if (i < 0) throw new NotFoundError();
  return i;
}

export function updateArea(doc: FrameworkDoc, key: string, input: AreaInput): FrameworkDoc {
  areaIndex(doc, key);
  const areas = doc.content.areas.map((a) => (a.key === key ? { key, name: { zh: input.zh, en: input.en || input.zh } } : a));
  return with_(doc, { areas });
}

export function moveArea(doc: FrameworkDoc, key: string, direction: Direction): FrameworkDoc {
  const i = areaIndex(doc, key);
  return with_(doc, { areas: moved(doc.content.areas, i, direction === 'up' ? i - 1 : i + 1) });
}

/** An area is removed once it holds no indicator (they are removed or moved first, one by one). */
export function removeArea(doc: FrameworkDoc, key: string): FrameworkDoc {
  areaIndex(doc, key);
  const held = doc.content.indicators.filter((i) => i.area === key).length;
  if (held > 0) throw new ValidationError({ _form: { key: 'framework.areaNotEmpty', params: { n: held } } });
  return with_(doc, { areas: doc.content.areas.filter((a) => a.key !== key) });
}

// ── indicators ─────────────────────────────────────────────────────────────────────────────────

function ruleOf(input: IndicatorInput): Indicator['rule'] {
  if (input.scoring === 'judged') return { type: 'judged' };
  if (!input.measure) throw new ValidationError({ measure: { key: 'framework.measureRequired' } });
  const scoring =
    input.scoring === 'bands'
      ? { type: 'bands' as const, bands: [...input.bands].sort((a, b) => a.min - b.min) }
      : { type: input.scoring };
  if (scoring.type === 'bands' && scoring.bands.length === 0)
    throw new ValidationError({ bands: { key: 'framework.bandsRequired' } });
  return { type: 'computed', measure: input.measure, scoring };
}

function indicatorFrom(input: IndicatorInput, key: string, before?: Indicator): Indicator {
  return {
    key,
    name: { zh: input.zh, en: input.en || input.zh },
    area: input.area,
    points: input.points,
    side: input.side,
    rule: ruleOf(input),
    bands: before?.bands ?? { onTrack: 90, progress: 60, highIsGood: true },
  };
}

/** A new indicator goes last in its area (the document keeps each area's indicators together). */
export function addIndicator(doc: FrameworkDoc, input: IndicatorInput): FrameworkDoc {
  const list = doc.content.indicators;
  const key = keyFor(
    input.key,
    `${input.area}.`,
    list.map((i) => i.key),
  );
  const last = list.map((i) => i.area).lastIndexOf(input.area);
  const at = last < 0 ? list.length : last + 1;
  return with_(doc, { indicators: [...list.slice(0, at), indicatorFrom(input, key), ...list.slice(at)] });
}

function indicatorIndex(doc: FrameworkDoc, key: string): number {
  const i = doc.content.indicators.findIndex((x) => x.key === key);
  if (i < 0) throw new NotFoundError();
  return i;
}

/** The key stays (scores already given refer to it); an indicator moved to another area goes last in it. */
export function updateIndicator(doc: FrameworkDoc, key: string, input: IndicatorInput): FrameworkDoc {
  const i = indicatorIndex(doc, key);
  const before = doc.content.indicators[i]!;
  const next = indicatorFrom(input, key, before);
  if (before.area === input.area) return with_(doc, { indicators: doc.content.indicators.map((x, j) => (j === i ? next : x)) });
  const rest = doc.content.indicators.filter((_, j) => j !== i);
  const last = rest.map((x) => x.area).lastIndexOf(input.area);
  const at = last < 0 ? rest.length : last + 1;
  return with_(doc, { indicators: [...rest.slice(0, at), next, ...rest.slice(at)] });
}

/** Up or down among the indicators of its own area. */
export function moveIndicator(doc: FrameworkDoc, key: string, direction: Direction): FrameworkDoc {
  const i = indicatorIndex(doc, key);
  const list = doc.content.indicators;
  const area = list[i]!.area;
  const same = list.flatMap((x, j) => (x.area === area ? [j] : []));
  const to = same[same.indexOf(i) + (direction === 'up' ? -1 : 1)];
  return to === undefined ? doc : with_(doc, { indicators: moved(list, i, to) });
}

export function removeIndicator(doc: FrameworkDoc, key: string): FrameworkDoc {
  indicatorIndex(doc, key);
  if (doc.content.indicators.length === 1) throw new ValidationError({ _form: { key: 'framework.lastIndicator' } });
  return with_(doc, { indicators: doc.content.indicators.filter((i) => i.key !== key) });
}

// ── grading ────────────────────────────────────────────────────────────────────────────────────

export function setGrading(doc: FrameworkDoc, input: GradingInput): FrameworkDoc {
  return {
    ...with_(doc, { judgedTolerancePercent: input.tolerance }),
    grading: {
      ...doc.grading,
      cutoffs: { good: input.good, fairlyGood: input.fairlyGood, average: input.average },
      quotaGoodPercent: input.quota,
    },
  };
}

const vetoesOf = (doc: FrameworkDoc, vetoes: FrameworkDoc['grading']['vetoes']): FrameworkDoc => ({
  ...doc,
  grading: { ...doc.grading, vetoes },
});

export function addVeto(doc: FrameworkDoc, input: VetoInput): FrameworkDoc {
  const key = keyFor(
    input.key,
    'veto.',
    doc.grading.vetoes.map((v) => v.key),
  );
  return vetoesOf(doc, [...doc.grading.vetoes, { key, name: input.name, cap: input.cap }]);
}

function vetoIndex(doc: FrameworkDoc, key: string): number {
  const i = doc.grading.vetoes.findIndex((v) => v.key === key);
  if (i < 0) throw new NotFoundError();
  return i;
}

export function updateVeto(doc: FrameworkDoc, key: string, input: VetoInput): FrameworkDoc {
  vetoIndex(doc, key);
  return vetoesOf(
    doc,
    doc.grading.vetoes.map((v) => (v.key === key ? { key, name: input.name, cap: input.cap } : v)),
  );
}

export function removeVeto(doc: FrameworkDoc, key: string): FrameworkDoc {
  vetoIndex(doc, key);
  return vetoesOf(
    doc,
    doc.grading.vetoes.filter((v) => v.key !== key),
  );
}

// ── a year from another ────────────────────────────────────────────────────────────────────────

/**
 * Another year's framework as this year's start: its title's year and its steps' dates moved on by
 * the years between. The organisation is not taken here (teams are people, named by an admin).
 */
export function shiftedYear(doc: FrameworkDoc, from: number, to: number): FrameworkDoc {
  const years = to - from;
  return {
    ...doc,
    goals: { ...doc.goals, title: doc.goals.title.replace(String(from), String(to)) },
    steps: doc.steps.map((s) => ({ ...s, due: `${Number(s.due.slice(0, 4)) + years}${s.due.slice(4)}` })),
  };
}
