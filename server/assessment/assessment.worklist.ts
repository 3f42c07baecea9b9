import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { pageWindow } from '../lib/pagination.ts';
import { keptBy } from '../lib/kept-by.ts';
import { viewerKey, yearBasis, type YearBasis } from './assessment.basis.ts';
import { computedYear, type ComputedYear } from './assessment.cache.ts';
import { objectKeys } from './assessment.framework.ts';
import { decideInput, isAssessor } from './assessment.policy.ts';
import { presentIndicators, type Reader } from './assessment.present.ts';
import * as q from './assessment.queries.ts';
import type { IndicatorResult } from './assessment.scorecards.ts';
import { sideRows } from './assessment.sides.ts';
import { areaNameOf } from './assessment.editor.check.ts';

/**
 * An evaluator's worklist: the judged indicators of the objects it scores that still wait for its
 * score (at cross-check), the objections waiting for an answer (at feedback) and the spreads
 * waiting for moderation, each with the assessed side's self-assessment, the paired side's opinion,
 * the evidence and the object's computed indicators beside the score box. Who may score what is the
 * assessment policy's (decideInput), as on the scorecard; the year's results come from the cache.
 */

export const WORKLIST_PAGE = 10;

export interface WorkItem {
  objectKey: string;
  objectName: string;
  groupName: string;
  indicatorKey: string;
  indicatorName: string;
  max: number;
  kind: 'judged' | 'reply';
}

export function worklist(db: Db, actor: Actor, year: number, page: number | undefined, reader: Reader) {
  if (!isAssessor(actor)) throw new ForbiddenError();
  const basis = yearBasis(db, year);
  if (!basis.framework) throw new NotFoundError();
  const round = basis.round ?? null;
  const computed = computedYear(db, year);
  // kept beside the computed year: any input, stage or framework change makes a new one
  const { waiting, flagged, total } = keptBy(computed, `worklist ${viewerKey(actor)} ${reader.locale}`, () =>
    waitingItems(db, actor, basis, computed, reader.locale),
  );
  const w = pageWindow(page, waiting.length, WORKLIST_PAGE);
  const shown = waiting
    .slice(w.offset, w.offset + w.pageSize)
    .map((it) => detail(db, round?.id ?? null, computed, it, reader, year));
  return {
    stage: round?.stage ?? null,
    progress: { done: total - waiting.length, total },
    items: shown,
    flagged,
    result: { page: w.page, pages: w.pages, total: waiting.length },
  };
}

/** What waits for the actor in the year: its judged scores not given, the objections not answered, the spreads to moderate. */
function waitingItems(db: Db, actor: Actor, basis: YearBasis, computed: ComputedYear, locale: string) {
  const doc = basis.framework!.doc;
  const round = basis.round ?? null;
  const stage = round?.stage ?? null;
  const visible = basis.visible(actor);
  const judgedByMe = new Set(
    round ? q.inputKeysOf(db, round.id, 'judged', actor.id).map((i) => `${i.objectKey} ${i.indicatorKey}`) : [],
  );
  const waiting: WorkItem[] = [];
  const flagged: WorkItem[] = [];
  let total = 0;
  const item = (
    found: NonNullable<ReturnType<ComputedYear['find']>>,
    ind: IndicatorResult,
    kind: WorkItem['kind'],
  ): WorkItem => ({
    objectKey: found.object.key,
    objectName: found.object.name,
    groupName: found.group.name,
    indicatorKey: ind.key,
    indicatorName: locale === 'en' ? ind.name.en : ind.name.zh,
    max: ind.max,
    kind,
  });
  for (const key of objectKeys(doc)) {
    if (!visible(key)) continue;
    const found = computed.find(key);
    if (!found) continue;
    const judges = stage !== null && decideInput(actor, stage, basis.facts(key), 'judge') === null;
    for (const ind of found.object.indicators) {
      if (ind.rule.type !== 'judged' || ind.notApplicable !== null) continue;
      if (ind.judged?.flagged) flagged.push(item(found, ind, 'judged'));
      if (!judges) continue;
      total += 1;
      if (!judgedByMe.has(`${key} ${ind.key}`)) waiting.push(item(found, ind, 'judged'));
    }
  }
  // at feedback: the objections to the objects the actor answers for, not yet answered
  if (stage === 'feedback' && round) {
    const replied = new Set(q.inputKeysOf(db, round.id, 'reply').map((i) => `${i.objectKey} ${i.indicatorKey}`));
    const seen = new Set<string>();
    for (const o of q.inputKeysOf(db, round.id, 'objection')) {
      const id = `${o.objectKey} ${o.indicatorKey}`;
      if (seen.has(id) || !visible(o.objectKey)) continue;
      seen.add(id);
      if (decideInput(actor, 'feedback', basis.facts(o.objectKey), 'reply') !== null) continue;
      const found = computed.find(o.objectKey);
      const ind = found?.object.indicators.find((i) => i.key === o.indicatorKey);
      if (!found || !ind) continue;
      total += 1;
      if (!replied.has(id)) waiting.push(item(found, ind, 'reply'));
    }
  }
  return { waiting, flagged, total };
}

/** One item with what the evaluator reads before scoring: the sides' views, evidence and computed facts. */
function detail(db: Db, roundId: number | null, computed: ComputedYear, item: WorkItem, reader: Reader, year: number) {
  const { object } = computed.find(item.objectKey)!;
  const inputs = roundId === null ? [] : q.inputsOfObject(db, roundId, item.objectKey);
  const evidence = roundId === null ? [] : q.listEvidence(db, roundId, item.objectKey);
  // areas by the year's own names, as on the scorecard (the presentation is kept for both)
  const named = { ...reader, areaName: areaNameOf(computed.doc, reader.locale) };
  const side = sideRows(object, inputs, evidence, named).find((r) => r.key === item.indicatorKey)!;
  const presented = keptBy(object, `indicators ${reader.locale} ${reader.unit}`, () => presentIndicators(object, year, named));
  return {
    ...item,
    side,
    // the object's evidence as a whole (the self-assessment report) besides the indicator's own
    objectEvidence: evidence.filter((e) => e.indicatorKey === ''),
    facts: presented
      .filter((i) => i.rule.type === 'computed' && i.notApplicable === null)
      .map((i) => ({ name: i.text.name, percent: i.text.percent, score: i.text.score })),
    // a stable id for the form and its anchor (object keys hold dots)
    id: `${item.objectKey}-${item.indicatorKey}`.replace(/[^a-zA-Z0-9-]/g, '-'),
  };
}
