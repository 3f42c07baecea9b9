import { ValidationError } from '../lib/errors.ts';
import type { FieldErrors } from '../lib/validation.ts';
import { MEASURES } from '../records/records.service.ts';
import { sides, type FrameworkDoc, type Indicator } from './assessment.framework.ts';

/**
 * The framework's running check, shared by the forms, the JSON import and the framework page. An
 * error is refused when saving; a warning (points not adding up to 100) is shown while the year is
 * built item by item, since scores are percentages of each object's applicable maximum.
 * Every message names its area and indicator by their names ({where} in Chinese, {whereEn} in English).
 */
export interface Problem {
  key: string;
  params: Record<string, string | number>;
  severity: 'error' | 'warning';
  /** The item it is about, for a form to put the message on its own field. */
  indicator?: string;
  area?: string;
  veto?: string;
  field?: string;
}

/** The points each side's objects can score: its own indicators plus those of both sides. */
export const FULL_POINTS = 100;

const TARGETED: ReadonlySet<string> = new Set(MEASURES.filter((m) => 'target' in m).map((m) => m.key));

interface Named {
  zh: string;
  en: string;
}
type Doc = FrameworkDoc;

/** "资金支持 · 财政援助资金完成协议目标" and its English twin. */
export function whereOf(area: Named | undefined, indicator?: Named): { where: string; whereEn: string } {
  const zh = [area?.zh, indicator?.zh].filter(Boolean).join(' · ');
  const en = [area?.en, indicator?.en].filter(Boolean).join(' · ');
  return { where: zh, whereEn: en || zh };
}

export function areaOf(doc: Doc, key: string): Named | undefined {
  return doc.content.areas.find((a) => a.key === key)?.name;
}

/** Each side's total of applicable points, to two decimals. */
export function sideTotals(doc: Doc): Record<(typeof sides)[number], number> {
  const total = (side: string) =>
    Math.round(
      doc.content.indicators.filter((i) => i.side === 'both' || i.side === side).reduce((s, i) => s + i.points * 100, 0),
    ) / 100;
  return { assisting: total('assisting'), assisted: total('assisted') };
}

function indicatorProblems(doc: Doc, ind: Indicator) {
  const out: Problem[] = [];
  const area = areaOf(doc, ind.area);
  const at = { ...whereOf(area, ind.name), points: ind.points };
  const about = { indicator: ind.key, area: ind.area };
  const err = (key: string, field: string, params: Record<string, string | number> = {}) =>
    out.push({ key, params: { ...at, ...params }, severity: 'error', field, ...about });
  if (!area) err('framework.check.areaMissing', 'area', whereOf(undefined, ind.name));
  if (ind.rule.type === 'computed') {
    const { scoring, measure } = ind.rule;
    if (scoring.type === 'ratio_to_target' && !TARGETED.has(measure)) err('framework.check.noTarget', 'measure');
    if (scoring.type === 'bands') {
      const over = scoring.bands.find((b) => b.points > ind.points);
      if (over) err('framework.check.bandExceeds', 'bands', { band: over.points });
      const mins = scoring.bands.map((b) => b.min);
      if (new Set(mins).size !== mins.length) err('framework.check.bandTwice', 'bands');
    }
  }
  return out;
}

/** Every problem of a document that has its shape (see parseFrameworkJson for one that may not). */
export function checkFramework(doc: Doc): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const names = new Set<string>();
  for (const a of doc.content.areas) {
    if (seen.has(a.key))
      problems.push({ key: 'framework.check.areaTwice', params: whereOf(a.name), severity: 'error', area: a.key, field: 'key' });
    // two areas of one name cannot be told apart on a scorecard or in its chart
    else if (names.has(a.name.zh.trim()))
      problems.push({
        key: 'framework.check.areaNameTwice',
        params: whereOf(a.name),
        severity: 'error',
        area: a.key,
        field: 'zh',
      });
    seen.add(a.key);
    names.add(a.name.zh.trim());
  }
  const keys = new Set<string>();
  for (const ind of doc.content.indicators) {
    if (keys.has(ind.key))
      problems.push({
        key: 'framework.check.indicatorTwice',
        params: whereOf(areaOf(doc, ind.area), ind.name),
        severity: 'error',
        indicator: ind.key,
        field: 'key',
      });
    keys.add(ind.key);
    problems.push(...indicatorProblems(doc, ind));
  }
  const vetoKeys = new Set<string>();
  for (const v of doc.grading.vetoes) {
    if (vetoKeys.has(v.key))
      problems.push({ key: 'framework.check.vetoTwice', params: { name: v.name }, severity: 'error', veto: v.key, field: 'key' });
    vetoKeys.add(v.key);
  }
  const c = doc.grading.cutoffs;
  if (!(c.good > c.fairlyGood && c.fairlyGood > c.average && c.good <= 100 && c.average >= 0))
    problems.push({ key: 'framework.cutoffOrder', params: {}, severity: 'error', field: 'good' });
  const totals = sideTotals(doc);
  for (const side of sides)
    if (totals[side] !== FULL_POINTS)
      problems.push({ key: `framework.check.sideTotal.${side}`, params: { total: totals[side] }, severity: 'warning' });
  for (const a of doc.content.areas)
    if (!doc.content.indicators.some((i) => i.area === a.key))
      problems.push({ key: 'framework.check.areaEmpty', params: whereOf(a.name), severity: 'warning', area: a.key });
  return problems;
}

/**
 * An area's name in the reader's language, from the year's document: areas added through the forms
 * have no text of their own in the locales (undefined for a key the document does not hold).
 */
export function areaNameOf(doc: Doc, locale: string): (key: string) => string | undefined {
  const names = new Map(doc.content.areas.map((a) => [a.key, a.name]));
  return (key) => {
    const n = names.get(key);
    return n && (locale === 'en' ? n.en : n.zh);
  };
}

export const errorsOf = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error');

/**
 * A framework that does not hold together: its problems, each naming its area and indicator, and
 * the same as one message per form field (a problem about the item the form edits goes on its own
 * field; any other at the top of the form).
 */
export class FrameworkInvalid extends ValidationError {
  constructor(
    readonly problems: Problem[],
    focus: { area?: string; indicator?: string; veto?: string } = {},
    fallback = '_form',
  ) {
    const fields: FieldErrors = {};
    for (const p of problems) {
      const mine =
        (focus.indicator !== undefined && p.indicator === focus.indicator) ||
        (focus.area !== undefined && p.area === focus.area && p.indicator === undefined) ||
        (focus.veto !== undefined && p.veto === focus.veto) ||
        (p.field === 'good' && p.indicator === undefined && p.area === undefined);
      const field = mine && p.field ? p.field : fallback;
      fields[field] ??= { key: p.key, params: p.params };
    }
    super(fields);
  }
}
