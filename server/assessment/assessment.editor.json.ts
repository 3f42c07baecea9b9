import type { z } from 'zod';
import type { Translate } from '../lib/i18n.ts';
import { FrameworkDoc } from './assessment.framework.ts';
import { checkFramework, whereOf, type Problem } from './assessment.editor.check.ts';

/**
 * A framework document typed as JSON, read the way the forms read it: a syntax error says its line
 * and column; a schema error names the area and indicator it is in (never a raw path such as
 * content.indicators.3.points); then the same running check as the forms. Messages are problems,
 * put into words by `problemText` in the reader's language.
 */
export type ParsedFramework = { ok: true; doc: FrameworkDoc; problems: Problem[] } | { ok: false; problems: Problem[] };

/** Line and column (from 1) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

/**
 * Where JSON.parse stopped. V8 says "at position N", or for an unexpected token quotes the text
 * around it: up to ten characters either side, with "..." where the text goes on.
 */
export function errorOffset(text: string, message: string): number {
  const at = /position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  const quoted = /Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*?)"(\.\.\.)? is not valid JSON/.exec(message);
  if (quoted) {
    const [, token, cut, snippet] = quoted;
    const start = text.indexOf(snippet!);
    if (start >= 0) return cut ? start + 10 : start + Math.max(0, snippet!.indexOf(token!));
  }
  return text.length;
}

export function parseFrameworkJson(text: string): ParsedFramework {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const at = lineColumn(text, errorOffset(text, err instanceof Error ? err.message : ''));
    return { ok: false, problems: [{ key: 'framework.json.syntax', params: at, severity: 'error' }] };
  }
  const parsed = FrameworkDoc.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.slice(0, 10).map((issue) => issueProblem(raw, issue)) };
  return { ok: true, doc: parsed.data, problems: checkFramework(parsed.data) };
}

type Issue = z.core.$ZodIssue;
const SECTIONS = ['goals', 'organisation', 'objects', 'content', 'steps', 'grading'] as const;
/** Fields of an indicator or area with a label of their own (framework.field.*). */
const FIELDS = new Set([
  'key',
  'name',
  'area',
  'points',
  'side',
  'rule',
  'measure',
  'scoring',
  'bands',
  'cap',
  'good',
  'fairlyGood',
  'average',
]);

interface RawDoc {
  content?: { areas?: { key?: unknown; name?: { zh?: unknown; en?: unknown } }[]; indicators?: RawIndicator[] };
  grading?: { vetoes?: { name?: unknown }[] };
}
interface RawIndicator {
  area?: unknown;
  name?: { zh?: unknown; en?: unknown };
}
const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const named = (n: { zh?: unknown; en?: unknown } | undefined, zh: string, en: string) => ({
  zh: text(n?.zh) ?? zh,
  en: text(n?.en) ?? text(n?.zh) ?? en,
});

/** Where an issue is, by names: the indicator and its area, the area, the veto, or the level of the document. */
function placeOf(raw: unknown, path: readonly PropertyKey[]): { where: string; whereEn: string; rest: PropertyKey[] } {
  const doc = (typeof raw === 'object' && raw !== null ? raw : {}) as RawDoc;
  const [section, list, index, ...rest] = path;
  const n = typeof index === 'number' ? index + 1 : 0;
  if (section === 'content' && list === 'indicators' && typeof index === 'number') {
    const ind = doc.content?.indicators?.[index];
    const areaName = doc.content?.areas?.find((a) => a?.key === ind?.area)?.name;
    const area = areaName ? named(areaName, '', '') : undefined;
    return { ...whereOf(area, named(ind?.name, `第 ${n} 个指标`, `indicator ${n}`)), rest };
  }
  if (section === 'content' && list === 'areas' && typeof index === 'number')
    return { ...whereOf(named(doc.content?.areas?.[index]?.name, `第 ${n} 个方面`, `area ${n}`)), rest };
  if (section === 'grading' && list === 'vetoes' && typeof index === 'number') {
    const name = text(doc.grading?.vetoes?.[index]?.name) ?? `#${n}`;
    return { where: `一票否决「${name}」`, whereEn: `Veto “${name}”`, rest };
  }
  if (section === 'grading' && list === 'cutoffs') return { where: '等次分数线', whereEn: 'Grade cut-offs', rest: path.slice(2) };
  const level = SECTIONS.find((s) => s === section);
  return level
    ? { where: `level.${level}`, whereEn: `level.${level}`, rest: path.slice(1) }
    : { where: '框架', whereEn: 'Framework', rest: path.slice(1) };
}

/** The value found at a path of the raw document (zod's issues do not carry it). */
function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = raw;
  for (const step of path) at = typeof at === 'object' && at !== null ? (at as Record<PropertyKey, unknown>)[step] : undefined;
  return at;
}

function issueProblem(raw: unknown, issue: Issue): Problem {
  const place = placeOf(raw, issue.path);
  const field = [...place.rest].reverse().find((p): p is string => typeof p === 'string' && FIELDS.has(p));
  const params: Record<string, string | number> = {
    where: place.where,
    whereEn: place.whereEn,
    fieldKey: field ? `framework.field.${field}` : 'framework.field.value',
  };
  const base = { severity: 'error' as const, params };
  switch (issue.code) {
    case 'invalid_type':
      return { ...base, key: valueAt(raw, issue.path) === undefined ? 'framework.json.required' : 'framework.json.invalid' };
    case 'too_small':
      return issue.origin === 'array'
        ? { ...base, key: 'framework.json.tooFew', params: { ...params, min: Number(issue.minimum) } }
        : issue.origin === 'string'
          ? // a text too short is, in practice, a text left empty
            { ...base, key: 'framework.json.required' }
          : {
              ...base,
              key: issue.inclusive === false ? 'framework.json.above' : 'framework.json.tooSmall',
              params: { ...params, min: Number(issue.minimum) },
            };
    case 'too_big':
      return { ...base, key: 'framework.json.tooBig', params: { ...params, max: Number(issue.maximum) } };
    case 'invalid_value':
    case 'invalid_union':
      return { ...base, key: 'framework.json.choice' };
    default:
      return { ...base, key: 'framework.json.invalid' };
  }
}

/**
 * A problem in the reader's words: {where} in the reader's language, and params named `…Key`
 * translated first (a level's or a field's label).
 */
export function problemText(p: Pick<Problem, 'key' | 'params'>, t: Translate, locale: string): string {
  const params: Record<string, string | number> = { ...p.params };
  if (locale === 'en' && typeof params.whereEn === 'string') params.where = params.whereEn;
  if (typeof params.where === 'string' && params.where.startsWith('level.')) params.where = t(params.where);
  for (const [name, value] of Object.entries(p.params))
    if (name.endsWith('Key') && typeof value === 'string') params[name.slice(0, -3)] = t(value);
  return t(p.key, params);
}
