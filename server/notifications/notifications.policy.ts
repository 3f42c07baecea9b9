import type { RegionLevel, Side } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { sidesOf, type PairingSides } from '../pairings/pairings.scope.ts';
import { scopePrefix } from '../regions/regions.service.ts';
import { writesSide } from '../reports/reports.policy.ts';
import type { NewNotification, Recipient } from './notifications.queries.ts';

/**
 * Who is told what: the one place that decides it. A user hears only of pairings within its
 * region (a side's code under its scope prefix), never of others:
 * - a report's deadline and its return: the side's own office — of the staff who write for that
 *   side (reports.policy.ts), those of the nearest region (a county's office, else its city's, else
 *   its province's) — and, for a return, whoever submitted it;
 * - a transfer waiting for confirmation: the confirming side's own office, as above;
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

/** Those of the longest scope (the most local office) among people whose regions all hold one place. */
function nearest(people: Person[]): Person[] {
  const longest = Math.max(0, ...people.map((p) => p.actor.scope?.length ?? 0));
  return people.filter((p) => (p.actor.scope?.length ?? 0) === longest);
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
    /** The side's own office: of the staff who write for it, those of the nearest region. */
    officeOf: (pairing: PairingSides, side: Side) =>
      nearest(covering(codeOf(pairing, side)).filter((p) => writesSide(p.actor, pairing, side))),
    /** Staff and liaisons of the side who are not also of the other side (they hear of the partner). */
    partnersOf: (pairing: PairingSides, side: Side) =>
      covering(codeOf(pairing, side)).filter((p) => {
        const s = sidesOf(p.actor, pairing);
        return s[side] && !s[side === 'assisting' ? 'assisted' : 'assisting'];
      }),
    byId: (id: number) => people.find((p) => p.id === id),
    /** The offices (staff of a region): the only readers of deadline reminders. */
    offices: () => people.filter((p) => p.role === 'staff' && p.actor.scope !== null),
    /** Everyone concerned by the year's assessment round: evaluators and the offices. */
    assessment: () => people.filter((p) => p.role === 'evaluator' || (p.role === 'staff' && p.actor.scope !== null)),
  };
}

export type Audience = ReturnType<typeof audience>;

/** More items of one kind for one reader in a run than this become one summary item (an office above many pairings). */
export const SUMMARY_AT = 10;

/** Where a summary leads: the list the items would have led into (the reader's scope applies there). */
const SUMMARY_LINK: Record<string, string> = {
  deadline7: '/pairings',
  deadline1: '/pairings',
  returned: '/pairings',
  transfer: '/records/funds?confirmation=unconfirmed',
  edits: '/pairings',
};

/**
 * A daily digest, not a flood: a reader with more than SUMMARY_AT items of a kind gets one item
 * saying how many (told once per year for a deadline, once per newest item otherwise).
 */
export function collapse(items: NewNotification[], day: string): NewNotification[] {
  const groups = new Map<string, NewNotification[]>();
  for (const n of items) {
    const k = `${n.userId} ${n.kind}`;
    const list = groups.get(k) ?? [];
    list.push(n);
    groups.set(k, list);
  }
  const out: NewNotification[] = [];
  for (const list of groups.values()) {
    const first = list[0]!;
    if (list.length <= SUMMARY_AT || !(first.kind in SUMMARY_LINK)) {
      out.push(...list);
      continue;
    }
    const deadline = first.kind === 'deadline7' || first.kind === 'deadline1';
    const pairings = new Set(list.map((n) => n.pairingId)).size;
    const n = first.kind === 'edits' ? list.reduce((sum, i) => sum + Number(i.params.n), 0) : list.length;
    // the newest item by its numbers (a string sort puts transfer:99 after transfer:100)
    const newest = list
      .map((i) => i.key)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .at(-1);
    out.push({
      userId: first.userId,
      kind: first.kind,
      key: deadline
        ? `${first.kind}:many:${first.year}:${String(first.params.deadline)}`
        : first.kind === 'edits'
          ? `edits:many:${day}`
          : `${first.kind}:many:${newest}`,
      ...(first.year !== undefined ? { year: first.year } : {}),
      link: SUMMARY_LINK[first.kind]!,
      params: {
        many: 1,
        n,
        pairings,
        ...(deadline ? { year: first.params.year!, deadline: first.params.deadline!, days: first.params.days! } : {}),
      },
    });
  }
  return out;
}
