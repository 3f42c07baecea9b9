import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { ConflictError, NotFoundError } from '../lib/errors.ts';
import { FrameworkInvalid, checkFramework, errorsOf, sideTotals, type Problem } from './assessment.editor.check.ts';
import { shiftedYear } from './assessment.editor.ts';
import type { FrameworkDoc } from './assessment.framework.ts';
import { frameworkPage } from './assessment.pages.ts';
import { decideYear, enforce, isAssessor } from './assessment.policy.ts';
import { yearFacts } from './assessment.facts.ts';
import * as q from './assessment.queries.ts';
import { getFramework, saveFramework } from './assessment.service.ts';
import { ruleNameOf } from '../lib/present.ts';

export { FrameworkInvalid };
export type Focus = ConstructorParameters<typeof FrameworkInvalid>[1];

/**
 * One edit of the year's framework from a form: the policy first, then the edit on the version the
 * user saw, the running check (an error refuses it, naming the item), and saveFramework, which
 * validates again, writes the new version and its audit row.
 */
export function editFramework(
  db: Db,
  actor: Actor,
  year: number,
  version: number,
  edit: (doc: FrameworkDoc) => FrameworkDoc,
  focus: Focus = {},
): FrameworkDoc {
  enforce(decideYear(actor, yearFacts(db, year), 'editFramework'));
  const fw = getFramework(db, year);
  if (fw.version !== version) throw new ConflictError('conflict.stale');
  const next = edit(fw.doc);
  const errors = errorsOf(checkFramework(next)).filter((p) => isNew(p, fw.doc));
  if (errors.length > 0) throw new FrameworkInvalid(errors, focus);
  saveFramework(db, actor, year, JSON.stringify(next), version);
  return next;
}

/** A problem the edit brought (one already there, from before the check existed, does not block an unrelated edit). */
function isNew(p: Problem, before: FrameworkDoc): boolean {
  const same = (o: Problem) => o.key === p.key && o.indicator === p.indicator && o.area === p.area && o.veto === p.veto;
  return !errorsOf(checkFramework(before)).some(same);
}

/**
 * The year's framework replaced by last year's as its start (goals, objects, content, steps and
 * grading, dates moved on a year); the year's own organisation stays.
 */
export function resetFromPrevious(db: Db, actor: Actor, year: number, version: number) {
  const previous = q.findFramework(db, year - 1);
  if (!previous) throw new NotFoundError();
  editFramework(db, actor, year, version, (doc) => ({
    ...shiftedYear(previous.doc as FrameworkDoc, year - 1, year),
    organisation: doc.organisation,
  }));
}

/** Whether a year has a framework (last year's, to start from). */
export const hasFramework = (db: Db, year: number) => q.findFramework(db, year) !== undefined;

const nameIn = (n: { zh: string; en: string }, locale: string) => (locale === 'en' ? n.en : n.zh);

/**
 * The framework page: the five levels (frameworkPage), the areas with their indicators and
 * subtotals in the document's order, the running check, and what the actor may do (the forms are
 * offered exactly when the policy allows the edit).
 */
export function editorPage(db: Db, actor: Actor, year: number, locale: string) {
  const page = frameworkPage(db, actor, year);
  const { doc } = page;
  const subtotal = (inds: FrameworkDoc['content']['indicators']) =>
    sideTotals({ ...doc, content: { ...doc.content, indicators: inds } });
  const areas = doc.content.areas.map((a, i) => {
    const inds = doc.content.indicators.filter((x) => x.area === a.key);
    return {
      key: a.key,
      name: nameIn(a.name, locale),
      first: i === 0,
      last: i === doc.content.areas.length - 1,
      subtotal: subtotal(inds),
      indicators: inds.map((x, j) => ({
        key: x.key,
        name: nameIn(x.name, locale),
        points: x.points,
        side: x.side,
        rule: ruleNameOf(x.rule),
        measure: x.rule.type === 'computed' ? x.rule.measure : null,
        bands: x.rule.type === 'computed' && x.rule.scoring.type === 'bands' ? x.rule.scoring.bands : null,
        first: j === 0,
        last: j === inds.length - 1,
      })),
    };
  });
  // indicators whose area is missing (only from an older document): listed, so they can be moved
  const orphans = doc.content.indicators.filter((x) => !doc.content.areas.some((a) => a.key === x.area));
  const problems = checkFramework(doc);
  const edit = page.can.editFramework;
  return {
    ...page,
    areas,
    orphans: orphans.map((x) => ({ key: x.key, name: nameIn(x.name, locale), points: x.points })),
    totals: sideTotals(doc),
    check: { errors: errorsOf(problems), warnings: problems.filter((p) => p.severity === 'warning') },
    previousYear: edit && q.findFramework(db, year - 1) ? year - 1 : null,
    assessor: isAssessor(actor),
  };
}
