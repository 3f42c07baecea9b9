import type { Db } from '../../db/client.ts';
import { MEASURES, MEASURE_INDEX, totalsByPairing, type Totals } from '../records/records.service.ts';
import { prefixOfCode } from '../regions/regions.service.ts';
import * as q from './assessment.queries.ts';
import type { PairingLite } from './assessment.queries.ts';
import { objectKey, type FrameworkDoc, type IndicatorMeasure, type ObjectMemberT, type Side } from './assessment.framework.ts';

export type Values = Totals & { confirmedShare: number | null };

export interface ObjectValues {
  key: string;
  side: Side;
  member: ObjectMemberT;
  current: Values;
  previous: Values;
  targets: Partial<Record<IndicatorMeasure, number>>;
}

const TARGET_OF = new Map(MEASURES.flatMap((m) => ('target' in m ? [[m.key, m.target] as const] : [])));

/** Values of one object and year from its typed array, with the derived shares; one allocation. */
function toValues(a: Float64Array): Values {
  const v = {} as Record<string, number | null>;
  for (let i = 0; i < SIZE; i++) v[MEASURES[i]!.key] = a[i]!;
  const t = v as unknown as Totals;
  const confirmed = t.transfers - t.transfersUnconfirmed - t.transfersMismatched;
  v.confirmedShare = t.transfers > 0 ? Math.round((confirmed * 10000) / t.transfers) / 100 : null;
  return v as unknown as Values;
}

const PAIRUPS = MEASURE_INDEX.get('pairups')!;
const SIZE = MEASURES.length;
type Pair = [Float64Array, Float64Array]; // previous year, this year
const emptyPair = (): Pair => [new Float64Array(SIZE), new Float64Array(SIZE)];

function add(into: Float64Array, from: Float64Array | undefined) {
  if (from) for (let i = 0; i < SIZE; i++) into[i]! += from[i]!;
}

/** The prefixes a code lies under: 320508 → 32, 3205, 320508. */
function prefixesOf(code: string): string[] {
  const own = prefixOfCode(code);
  if (own.length === 2) return [own];
  if (own.length === 4) return [own.slice(0, 2), own];
  return [own.slice(0, 2), own.slice(0, 4), own];
}

/**
 * The values of every object of a framework for a year and the year before. A region object on a
 * side sums every pairing whose side lies within it (each record belongs to one pairing, so nothing
 * counts twice); a pairing object sums the pairing and everything below it. Targets come from the
 * agreements of the top-most pairings within the object. Cost: one grouped pass per record table
 * for the two years, one pass over pairings and agreements, the rest in memory.
 */
export function objectValues(db: Db, doc: FrameworkDoc, year: number): Map<string, ObjectValues> {
  const perPairing = totalsByPairing(db, year);
  const pairings = q.livePairings(db);
  const byId = new Map(pairings.map((p) => [p.id, p]));
  // A pair-up's records count with its parent county pair: its unit stands within the parent's sides,
  // so every region prefix and every subtree that holds one holds the other.
  const parents = q.pairupParents(
    db,
    [...perPairing.keys()].filter((id) => !byId.has(id)),
  );
  for (const [id, totals] of perPairing) {
    if (byId.has(id)) continue;
    const parent = parents.get(id);
    perPairing.delete(id);
    if (parent === undefined) continue;
    const into = perPairing.get(parent);
    if (into) {
      add(into[0], totals[0]);
      add(into[1], totals[1]);
    } else perPairing.set(parent, totals);
  }

  // Region objects: add each pairing's totals to the prefixes of its side code that some object needs.
  const wanted: Record<Side, Set<string>> = { assisting: new Set(), assisted: new Set() };
  for (const g of doc.objects.groups)
    for (const m of g.members) if (m.kind === 'region') wanted[g.side].add(prefixOfCode(m.code));
  const rolled: Record<Side, Map<string, Pair>> = { assisting: new Map(), assisted: new Map() };
  const slotOf = (side: Side, prefix: string) => {
    let slot = rolled[side].get(prefix);
    if (!slot) rolled[side].set(prefix, (slot = emptyPair()));
    return slot;
  };
  for (const p of pairings) {
    const own = perPairing.get(p.id);
    if (!own) continue;
    for (const side of ['assisting', 'assisted'] as const) {
      for (const prefix of prefixesOf(side === 'assisting' ? p.assistingCode : p.assistedCode)) {
        if (!wanted[side].has(prefix)) continue;
        const slot = slotOf(side, prefix);
        add(slot[0], own[0]);
        add(slot[1], own[1]);
      }
    }
  }
  const pairupsByParent = new Map<number, [number, number]>();
  for (const c of q.pairupCounts(db, year)) {
    const parent = byId.get(c.parentId);
    if (!parent) continue;
    for (const side of ['assisting', 'assisted'] as const) {
      for (const prefix of prefixesOf(side === 'assisting' ? parent.assistingCode : parent.assistedCode)) {
        if (!wanted[side].has(prefix)) continue;
        const slot = slotOf(side, prefix);
        slot[0][PAIRUPS]! += c.previous;
        slot[1][PAIRUPS]! += c.current;
      }
    }
    pairupsByParent.set(c.parentId, [c.previous, c.current]);
  }

  // Pairing objects: the pairing and its subtree.
  const children = new Map<number, number[]>();
  for (const p of pairings)
    if (p.parentId !== null) (children.get(p.parentId) ?? children.set(p.parentId, []).get(p.parentId)!).push(p.id);
  const subtree = (id: number): Pair => {
    const sums = emptyPair();
    const stack = [id];
    while (stack.length > 0) {
      const cur = stack.pop()!;
      add(sums[0], perPairing.get(cur)?.[0]);
      add(sums[1], perPairing.get(cur)?.[1]);
      const n = pairupsByParent.get(cur);
      if (n) {
        sums[0][PAIRUPS]! += n[0];
        sums[1][PAIRUPS]! += n[1];
      }
      stack.push(...(children.get(cur) ?? []));
    }
    return sums;
  };

  // Targets: an agreement counts for an object unless a pairing above it, still inside the object,
  // has an agreement of its own for the year (that one already covers it: no double counting).
  const agreements = q.agreementsOfYear(db, year);
  const agreementOf = new Map(agreements.map((a) => [a.pairingId, a]));
  const topMost: Record<Side, Map<string, typeof agreements>> = { assisting: new Map(), assisted: new Map() };
  for (const a of agreements) {
    const p = byId.get(a.pairingId);
    if (!p) continue;
    for (const side of ['assisting', 'assisted'] as const) {
      const codeOf = (x: PairingLite) => (side === 'assisting' ? x.assistingCode : x.assistedCode);
      for (const prefix of prefixesOf(codeOf(p))) {
        if (!wanted[side].has(prefix)) continue;
        let covered = false;
        for (
          let up = p.parentId === null ? undefined : byId.get(p.parentId);
          up && codeOf(up).startsWith(prefix);
          up = up.parentId === null ? undefined : byId.get(up.parentId)
        ) {
          if (agreementOf.has(up.id)) {
            covered = true;
            break;
          }
        }
        if (!covered) (topMost[side].get(prefix) ?? topMost[side].set(prefix, []).get(prefix)!).push(a);
      }
    }
  }
  const out = new Map<string, ObjectValues>();
  for (const group of doc.objects.groups) {
    for (const member of group.members) {
      const key = objectKey(member, group.side);
      if (out.has(key)) continue;
      let sums: Pair;
      let targetRows: typeof agreements;
      if (member.kind === 'region') {
        sums = rolled[group.side].get(prefixOfCode(member.code)) ?? emptyPair();
        targetRows = topMost[group.side].get(prefixOfCode(member.code)) ?? [];
      } else {
        sums = subtree(member.pairingId);
        const own = agreementOf.get(member.pairingId);
        targetRows = own ? [own] : [];
      }
      const targets: Partial<Record<IndicatorMeasure, number>> = {};
      for (const [measure, column] of TARGET_OF) {
        const values = targetRows.map((a) => a[column as keyof typeof a]).filter((v): v is number => typeof v === 'number');
        if (values.length > 0) targets[measure] = values.reduce((x, y) => x + y, 0);
      }
      out.set(key, { key, side: group.side, member, previous: toValues(sums[0]), current: toValues(sums[1]), targets });
    }
  }
  return out;
}
