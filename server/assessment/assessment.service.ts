import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { viewerKey, yearBasis } from './assessment.basis.ts';
import { computedYear, liveDiffers as liveDiffersFrom } from './assessment.cache.ts';
import { computeYear, getFramework, type YearResults } from './assessment.compute.ts';
import { defaultFramework } from './assessment.defaults.ts';
import { yearFacts } from './assessment.facts.ts';
import { FrameworkInvalid, errorsOf } from './assessment.editor.check.ts';
import { parseFrameworkJson } from './assessment.editor.json.ts';
import { shiftedYear } from './assessment.editor.ts';
import { FrameworkDoc } from './assessment.framework.ts';
import { checkOrganisation, cleanCopiedOrganisation, sameOrganisation } from './assessment.organisation.ts';
import { decideCreateFramework, decideYear, enforce } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';
import type { GroupResult } from './assessment.scorecards.ts';
import { keptBy } from '../lib/kept-by.ts';

export type { GroupResult, ObjectResult, IndicatorResult } from './assessment.scorecards.ts';
export { FrameworkDoc, computeYear, getFramework };

/**
 * Creates a year's framework by copying the previous year's (or the default when there is none).
 * The copied organisation keeps only what the no-self-assessment rule allows today (a member's
 * region may have changed since); whatever was left out is named in the audit row.
 */
export function createFramework(db: Db, actor: Actor, year: number, evaluatorIds: number[] = []) {
  enforce(decideCreateFramework(actor));
  if (q.findFramework(db, year)) throw new ConflictError('assessment.frameworkExists');
  const previous = q.findFramework(db, year - 1);
  const doc = previous ? shiftedYear(FrameworkDoc.parse(previous.doc), year - 1, year) : defaultFramework(year, evaluatorIds);
  const { org, dropped } = cleanCopiedOrganisation(db, doc.organisation);
  doc.organisation = org;
  return db.transaction((tx) => {
    const row = q.insertFramework(tx, year, FrameworkDoc.parse(doc), actorId(actor));
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'create',
      entity: 'framework',
      entityId: year,
      after: { copiedFrom: previous ? year - 1 : 'default', ...(dropped.length > 0 ? { dropped } : {}) },
    });
    return row;
  });
}

/**
 * Saves an edited framework document (all five levels at once), validated as a whole. Any assessor
 * edits goals, objects, content, steps and grading; the organisation (teams, members, assignments)
 * only an admin or the round's owner, and never so that someone assesses its own region.
 */
export function saveFramework(db: Db, actor: Actor, year: number, docJson: string, version: number) {
  const facts = yearFacts(db, year);
  enforce(decideYear(actor, facts, 'editFramework'));
  const row = q.findFramework(db, year)!;
  // the same reading and running check as the framework's forms (line and column, names not paths)
  const parsed = parseFrameworkJson(docJson);
  const errors = errorsOf(parsed.problems);
  if (!parsed.ok || errors.length > 0) throw new FrameworkInvalid(errors, {}, 'doc');
  const organisationChanged = !sameOrganisation((row.doc as FrameworkDoc).organisation, parsed.doc.organisation);
  if (organisationChanged) {
    const refused = decideYear(actor, facts, 'editOrganisation');
    if (refused instanceof ForbiddenError) throw new ValidationError({ doc: { key: refused.messageKey } });
    enforce(refused);
    checkOrganisation(db, parsed.doc.organisation);
  }
  db.transaction((tx) => {
    if (!q.updateFrameworkAt(tx, row.id, version, parsed.doc, actorId(actor))) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: organisationChanged ? 'organisation' : 'update',
      entity: 'framework',
      entityId: year,
      before: row.doc,
      after: parsed.doc,
    });
  });
}

/**
 * The year's results as the actor may see them: the frozen snapshot once published (saying whether
 * the live records now differ), otherwise the live computation (kept per data version) with what
 * still blocks publication and its digest (the year-level policy reads both).
 */
export function yearResults(db: Db, actor: Actor, year: number) {
  const basis = yearBasis(db, year);
  const framework = basis.framework;
  if (!framework) throw new NotFoundError();
  const round = basis.round ?? null;
  let groups: readonly GroupResult[];
  let liveDiffers = false;
  let results: YearResults | undefined;
  if (round?.stage === 'published' && round.snapshot) {
    groups = (round.snapshot as { groups: GroupResult[] }).groups;
    liveDiffers = liveDiffersFrom(db, year, groups);
  } else {
    const live = computedYear(db, year);
    groups = live.groups;
    results = live.results();
  }
  return { framework, round, groups: shownTo(groups, actor, basis), liveDiffers, results };
}

/**
 * The groups with only the objects the actor sees at the round's stage (see the policy). Kept per
 * basis (a stage move or a new team makes a new one), computed year and viewer: while they stand,
 * a page view no longer filters the 1,373 objects of a national year again.
 */
type Basis = ReturnType<typeof yearBasis>;
const shownKept = new WeakMap<Basis, WeakMap<readonly GroupResult[], Map<string, GroupResult[]>>>();
const KEPT_VIEWERS = 64;

function shownTo(groups: readonly GroupResult[], actor: Actor, basis: Basis): GroupResult[] {
  let byGroups = shownKept.get(basis);
  if (!byGroups) shownKept.set(basis, (byGroups = new WeakMap()));
  let byViewer = byGroups.get(groups);
  if (!byViewer) byGroups.set(groups, (byViewer = new Map()));
  const who = viewerKey(actor);
  let shown = byViewer.get(who);
  if (!shown) {
    const visible = basis.visible(actor);
    // size: the whole group's, for "rank 3 of 10" read by someone who sees only its own object
    shown = groups
      .map((g) => ({ ...g, size: g.objects.length, objects: g.objects.filter((o) => visible(o.key)) }))
      .filter((g) => g.objects.length > 0);
    if (byViewer.size >= KEPT_VIEWERS) byViewer.delete(byViewer.keys().next().value!);
    byViewer.set(who, shown);
  }
  return shown;
}

export function scorecard(db: Db, actor: Actor, year: number, key: string) {
  const results = yearResults(db, actor, year);
  for (const group of results.groups) {
    const object = group.objects.find((o) => o.key === key);
    if (object) return { ...results, group, object };
  }
  throw new NotFoundError();
}

/**
 * The inputs shown on a scorecard: assessors see every input with its author; the assessed side
 * and its partner see every input but not who wrote it (the reasons behind a score are theirs to
 * read, the evaluator's name is not). Once published, they are the inputs frozen with the results.
 */
export function inputsFor(db: Db, year: number, key: string, actor: Actor) {
  const round = yearBasis(db, year).round;
  if (!round) return [];
  const all = round.stage === 'published' ? (frozenInputsOf(round).get(key) ?? []) : q.inputsOfObject(db, round.id, key);
  if (actor.role === 'admin' || actor.role === 'evaluator') return all;
  // the sides read the assessors' scores and reasons once feedback starts, never who gave them
  const scored = round.stage === 'feedback' || round.stage === 'published';
  return all.filter((i) => scored || !ASSESSORS_ONLY.has(i.kind)).map((i) => ({ ...i, userId: 0 }));
}

const ASSESSORS_ONLY: ReadonlySet<string> = new Set(['judged', 'moderated', 'reply']);

/** A published round's frozen inputs by object, built once per round row (the basis keeps the row). */
function frozenInputsOf(round: object & { snapshot: unknown }): Map<string, q.InputRow[]> {
  return keptBy(round, 'frozen inputs', () => {
    const byObject = new Map<string, q.InputRow[]>();
    for (const i of (round.snapshot as { inputs?: q.InputRow[] } | null)?.inputs ?? [])
      (byObject.get(i.objectKey) ?? byObject.set(i.objectKey, []).get(i.objectKey)!).push(i);
    return byObject;
  });
}

/** Whether the actor may see an object's scorecard in a year (same rule as the pages). */
export function canSee(db: Db, actor: Actor, year: number, key: string): boolean {
  const basis = yearBasis(db, year);
  return basis.framework !== undefined && basis.visible(actor)(key);
}
