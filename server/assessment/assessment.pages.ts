import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { scorecardCapabilities, yearFacts } from './assessment.facts.ts';
import {
  YEAR_ACTIONS,
  canCreateFramework,
  decideYear,
  isAssessor,
  proposalStale,
  yearCapabilities,
} from './assessment.policy.ts';
import { keptBy } from '../lib/kept-by.ts';
import { regionNames } from '../regions/regions.service.ts';
import { presentIndicators, type Reader } from './assessment.present.ts';
import { areaNameOf } from './assessment.editor.check.ts';
import * as q from './assessment.queries.ts';
import { getFramework, inputsFor, scorecard, yearResults } from './assessment.service.ts';
import { evidenceList } from './assessment.evidence.ts';
import { sideRows } from './assessment.sides.ts';

/**
 * What each assessment page shows, with the actor's capability flags from the policy: templates
 * read the flags and restate no rule, so a page offers a form exactly when the server accepts it.
 */

export function indexPage(db: Db, actor: Actor) {
  const years = q.listFrameworkYears(db).reverse();
  // the year an admin most likely starts next: the one after the newest, copied from it
  return { years, nextYear: years.length > 0 ? years[0]!.year + 1 : null, can: { createFramework: canCreateFramework(actor) } };
}

/** The year: its round, league tables, what blocks publication, the owner and the proposal (and whether it is stale). */
export function yearPage(db: Db, actor: Actor, year: number) {
  const { results: computed, ...results } = yearResults(db, actor, year);
  const facts = yearFacts(db, year, computed);
  const can = yearCapabilities(actor, facts, YEAR_ACTIONS);
  const round = results.round;
  const people = q.people(db, [round?.ownerId ?? 0, round?.publishProposedBy ?? 0]);
  const showMissing = isAssessor(actor) && (round?.stage === 'comprehensive' || round?.stage === 'feedback');
  return {
    ...results,
    can,
    missing: showMissing ? (computed?.blockers.missing ?? []) : [],
    stale: isAssessor(actor) && proposalStale(facts),
    isAssessor: isAssessor(actor),
    owner: round?.ownerId ? (people.get(round.ownerId) ?? null) : null,
    proposer: round?.publishProposedBy ? (people.get(round.publishProposedBy) ?? null) : null,
    evaluators: can.nameOwner ? q.activeEvaluators(db) : [],
  };
}

/** The framework's five levels with its teams' members by name, and what the actor may edit. */
export function frameworkPage(db: Db, actor: Actor, year: number) {
  const fw = getFramework(db, year);
  const teams = fw.doc.organisation.teams;
  const people = q.people(
    db,
    teams.flatMap((t) => [...t.evaluators, t.lead ?? 0]),
  );
  const name = (id: number) => people.get(id)?.displayName ?? `#${id}`;
  const homes = regionNames(db, [...new Set(teams.map((t) => t.homeProvince))]);
  const facts = yearFacts(db, year);
  // an assessor is told why the document cannot be edited now (published, or a publication proposed)
  const refusal = isAssessor(actor) ? decideYear(actor, facts, 'editFramework') : null;
  return {
    fw,
    doc: fw.doc,
    teams: teams.map((t) => ({
      ...t,
      homeName: homes.get(t.homeProvince) ?? t.homeProvince,
      members: t.evaluators.map(name),
      leadName: t.lead === null ? null : name(t.lead),
    })),
    can: yearCapabilities(actor, facts, ['editFramework', 'editOrganisation'] as const),
    notice: refusal?.messageKey ?? null,
  };
}

/** One object's scorecard with its indicators, the inputs the actor may read and its flags. */
export function scorecardPage(db: Db, actor: Actor, year: number, key: string, reader: Reader) {
  const found = scorecard(db, actor, year, key);
  const inputs = inputsFor(db, year, found.object.key, actor);
  const can = scorecardCapabilities(db, actor, year, found.object.key, inputs);
  const named = { ...reader, areaName: areaNameOf(found.framework.doc, reader.locale) };
  // presented once per computed object and reader (the object is the same while the year's results stand)
  const presented = keptBy(found.object, `indicators ${reader.locale} ${reader.unit}`, () =>
    presentIndicators(found.object, year, named),
  );
  const evidence = evidenceList(db, year, found.object.key);
  // the same for every reader of one kind while the year's data stand (the inputs are part of them)
  const viewer = actor.role === 'admin' || actor.role === 'evaluator' ? 'assessor' : 'side';
  const evidenceIds = evidence.map((e) => e.id).join(',');
  const rows = keptBy(found.object, `sides ${viewer} ${reader.locale} ${evidenceIds}`, () =>
    sideRows(found.object, inputs, evidence, named),
  );
  const indicators = presented.map((i, n) => {
    const flags = can.indicators[i.key]!;
    // anyForm: whether the indicator's forms are rendered at all (a partial per indicator costs)
    const anyForm = Object.values(flags).some(Boolean);
    return { ...i, can: flags, anyForm, side: rows[n]! };
  });
  return {
    ...found,
    indicators,
    // the notes of the object as a whole (its self-assessment statement, feedback, vetoes)
    inputs: inputs.filter((i) => i.indicatorKey === '' || i.kind === 'veto'),
    indicatorNames: Object.fromEntries(indicators.map((i) => [i.key, i.text.name])),
    vetoNames: Object.fromEntries(found.framework.doc.grading.vetoes.map((v) => [v.key, v.name])),
    objections: rows.filter((r) => r.objection !== null),
    // the three columns, rendered once while nothing they show moves (the computed object is the
    // year's data version; who may read the assessors' inputs and the evidence files are in the
    // key); a reader with a form on the page has it rendered afresh
    sidesKey: indicators.some((i) => i.anyForm) ? '' : `sides ${viewer} ${evidenceIds}`,
    evidence,
    can,
    // an indicator's figures and reasons, rendered once per computed object (the forms stay per reader)
    keep: (k: string, render: () => string) => keptBy(found.object, `html ${k}`, render, 64),
  };
}
