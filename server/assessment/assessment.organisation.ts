import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ConflictError, ValidationError } from '../lib/errors.ts';
import { contains } from '../regions/regions.service.ts';
import { FrameworkDoc } from './assessment.framework.ts';
import { decideYear, enforce, overlaps, regionOfKey } from './assessment.policy.ts';
import * as q from './assessment.queries.ts';
import { yearFacts } from './assessment.facts.ts';

/**
 * The organisation level of a framework: teams, their members and what they assess. It is given by
 * an admin or the round's named owner, never taken, and nobody assesses its own region: a team is
 * not assigned an object of its home province, and no member (or lead) is bound to a region that
 * overlaps an object its team assesses.
 */

type Organisation = FrameworkDoc['organisation'];
type Team = Organisation['teams'][number];

/** The same organisation, compared after validation (defaults filled, key order fixed). */
export function sameOrganisation(a: unknown, b: Organisation): boolean {
  const before = FrameworkDoc.shape.organisation.safeParse(a);
  return before.success && JSON.stringify(before.data) === JSON.stringify(b);
}

/** The pairing id of a pairing object (`p.12`), or undefined for a region object. */
const pairingOfKey = (key: string): number | undefined => {
  const id = /^p\.(\d+)$/.exec(key)?.[1];
  return id ? Number(id) : undefined;
};

/** Region codes of the objects a team is assigned (a pairing object stands for both its sides). */
function assignedCodes(db: Db, team: Team): { key: string; codes: string[] }[] {
  const sides = q.pairingSides(
    db,
    team.assigned.flatMap((k) => pairingOfKey(k) ?? []),
  );
  return team.assigned.map((key) => {
    const code = regionOfKey(key);
    const pairing = pairingOfKey(key);
    return { key, codes: code ? [code] : pairing ? (sides.get(pairing) ?? []) : [] };
  });
}

interface Problem {
  key: string;
  params: Record<string, string | number>;
}

/**
 * How an office names the objects of an organisation: a region by its full name (江苏省), a pairing
 * by its two sides (江苏省 苏州市 姑苏区 → 陕西省 西安市 新城区); an unknown key as it was written.
 */
function objectNamer(db: Db, org: Organisation): (key: string) => string {
  const keys = org.teams.flatMap((t) => t.assigned);
  const regions = q.regionNames(
    db,
    keys.flatMap((k) => regionOfKey(k) ?? []),
  );
  const pairings = q.pairingNames(
    db,
    keys.flatMap((k) => pairingOfKey(k) ?? []),
  );
  return (key) => {
    const code = regionOfKey(key);
    const pairing = pairingOfKey(key);
    return (code && regions.get(code)) || (pairing && pairings.get(pairing)) || key;
  };
}

/** Every breach of the no-self-assessment rule in an organisation, first ones first, told in names. */
function organisationProblems(db: Db, org: Organisation): Problem[] {
  const people = q.people(
    db,
    org.teams.flatMap((t) => [...t.evaluators, ...(t.lead === null ? [] : [t.lead])]),
  );
  const name = objectNamer(db, org);
  const problems: Problem[] = [];
  for (const team of org.teams) {
    const objects = assignedCodes(db, team);
    for (const o of objects)
      if (o.codes.some((c) => contains(team.homeProvince, c)))
        problems.push({ key: 'assessment.ownProvince', params: { team: team.name, object: name(o.key) } });
    for (const id of new Set([...team.evaluators, ...(team.lead === null ? [] : [team.lead])])) {
      const person = people.get(id);
      if (!person || person.role !== 'evaluator') {
        problems.push({ key: 'assessment.notEvaluator', params: { team: team.name, user: person?.displayName ?? `#${id}` } });
        continue;
      }
      const own =
        person.regionCode === null ? undefined : objects.find((o) => o.codes.some((c) => overlaps(person.regionCode!, c)));
      if (own)
        problems.push({
          key: 'assessment.memberOverlap',
          params: { team: team.name, user: person.displayName, object: name(own.key) },
        });
    }
  }
  return problems;
}

/** Refuses an organisation that breaks the rule, with the first breach as the message. */
export function checkOrganisation(db: Db, org: Organisation): void {
  const first = organisationProblems(db, org)[0];
  if (first) throw new ValidationError({ doc: { key: first.key, params: first.params } });
}

/**
 * The organisation a copied framework starts from: last year's, less what the rule now forbids
 * (members whose region overlaps an assigned object, own-province assignments). Returns what was dropped.
 */
export function cleanCopiedOrganisation(db: Db, org: Organisation): { org: Organisation; dropped: string[] } {
  const people = q.people(
    db,
    org.teams.flatMap((t) => [...t.evaluators, ...(t.lead === null ? [] : [t.lead])]),
  );
  const dropped: string[] = [];
  const teams = org.teams.map((team) => {
    const assigned = team.assigned.filter((key) => {
      const code = regionOfKey(key);
      const own = code !== undefined && contains(team.homeProvince, code);
      if (own) dropped.push(`${team.key}:${key}`);
      return !own;
    });
    const objects = assignedCodes(db, { ...team, assigned });
    const allowed = (id: number) => {
      const p = people.get(id);
      const ok =
        p !== undefined &&
        p.role === 'evaluator' &&
        (p.regionCode === null || !objects.some((o) => o.codes.some((c) => overlaps(p.regionCode!, c))));
      if (!ok) dropped.push(`${team.key}:#${id}`);
      return ok;
    };
    const evaluators = team.evaluators.filter(allowed);
    const lead = team.lead !== null && (evaluators.includes(team.lead) || allowed(team.lead)) ? team.lead : null;
    return { ...team, assigned, evaluators, lead };
  });
  return { org: { ...org, teams }, dropped: [...new Set(dropped)] };
}

/** An admin names (or clears) the round's owner: an active evaluator who may then set the organisation. */
export function nameOwner(db: Db, actor: Actor, year: number, ownerId: number | null, version: number) {
  const facts = yearFacts(db, year);
  enforce(decideYear(actor, facts, 'nameOwner'));
  const round = q.findRound(db, year)!;
  if (ownerId !== null && !q.activeEvaluators(db).some((u) => u.id === ownerId))
    throw new ValidationError({ ownerId: { key: 'owner.invalid' } });
  db.transaction((tx) => {
    if (!q.updateRoundAt(tx, round.id, version, { ownerId })) throw new ConflictError('conflict.stale');
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'owner',
      entity: 'round',
      entityId: year,
      before: { ownerId: round.ownerId },
      after: { ownerId },
    });
  });
}
