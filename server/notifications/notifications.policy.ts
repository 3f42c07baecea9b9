import type { RegionLevel, Side } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { sidesOf, type PairingSides } from '../pairings/pairings.scope.ts';
import { scopePrefix } from '../regions/regions.service.ts';
import { writesSide } from '../reports/reports.policy.ts';
import type { Recipient } from './notifications.queries.ts';

/**
 * Who is told what: the one place that decides it. A user hears only of pairings within its
 * region (a side's code under its scope prefix), never of others:
 * - a report's deadline and its return: the side's office (staff who write for that side, as
 *   reports.policy.ts says);
 * - a transfer waiting for confirmation: the offices of the confirming side;
 * - the partner's changes to a pairing's records: staff and liaisons of the other side;
 * - a new assessment stage: evaluators and the offices (staff).
 * Admins and users without a region (the whole country) are not told of pairings one by one.
 */
export type Person = Recipient & { actor: Actor };

const PREFIX_LENGTHS = [2, 4, 6, 9, 12];

export function personOf(r: Recipient): Person {
  const scope =
    r.role !== 'admin' && r.regionCode && r.regionLevel
      ? scopePrefix({ code: r.regionCode, level: r.regionLevel as RegionLevel })
      : null;
  return { ...r, actor: { id: r.id, role: r.role, scope } };
}

/** The people of the regions, found by a side's code in a few lookups (the prefixes of the code). */
export function audience(recipients: readonly Recipient[]) {
  const people = recipients.map(personOf);
  const byScope = new Map<string, Person[]>();
  for (const p of people) {
    if (p.actor.scope === null || (p.role !== 'staff' && p.role !== 'liaison')) continue;
    const list = byScope.get(p.actor.scope) ?? [];
    list.push(p);
    byScope.set(p.actor.scope, list);
  }
  /** Staff and liaisons whose region holds the code. */
  function covering(code: string): Person[] {
    const found: Person[] = [];
    for (const n of PREFIX_LENGTHS) if (code.length >= n) found.push(...(byScope.get(code.slice(0, n)) ?? []));
    return found;
  }
  const codeOf = (p: PairingSides, side: Side) => (side === 'assisting' ? p.assistingCode : p.assistedCode);
  return {
    /** The side's office: staff who write for it. */
    officeOf: (pairing: PairingSides, side: Side) =>
      covering(codeOf(pairing, side)).filter((p) => writesSide(p.actor, pairing, side)),
    /** Staff and liaisons of the side who are not also of the other side (they hear of the partner). */
    partnersOf: (pairing: PairingSides, side: Side) =>
      covering(codeOf(pairing, side)).filter((p) => {
        const s = sidesOf(p.actor, pairing);
        return s[side] && !s[side === 'assisting' ? 'assisted' : 'assisting'];
      }),
    /** Everyone concerned by the year's assessment round: evaluators and the offices. */
    assessment: () => people.filter((p) => p.role === 'evaluator' || (p.role === 'staff' && p.actor.scope !== null)),
  };
}

export type Audience = ReturnType<typeof audience>;
