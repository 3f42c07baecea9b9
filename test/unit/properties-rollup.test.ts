import { expect } from 'chai';
import fc from 'fast-check';
import type { Db } from '../../db/client.ts';
import { defaultFramework } from '../../server/assessment/assessment.defaults.ts';
import type { FrameworkDoc } from '../../server/assessment/assessment.framework.ts';
import { objectValues } from '../../server/assessment/assessment.values.ts';
import { prefixOfCode } from '../../server/lib/region-codes.ts';
import {
  MEASURES,
  emptyTotals,
  rolledUpTotalsOfSet,
  totalsByRootAndYear,
  type MeasureKey,
  type Totals,
} from '../../server/records/records.measures.ts';
import { buildDb } from '../support/app.ts';

/**
 * The roll-ups of the pairing tree (province → city → county → pair-up) and of the region tree,
 * checked on random trees written to a real SQLite database. Three implementations sum the same
 * records: the recursive SQL of the pairing page (totalsByRootAndYear), the in-memory walk of the
 * home pages (rolledUpTotalsOfSet) and the assessment's object values (objectValues, by pairing
 * subtree and by region prefix on each side). Each must equal the oracle below: a node's total is
 * its own records plus its children's totals — the sum over every node of its subtree — with a
 * pair-up counting 1 under `pairups` in each year it is in force. Deleted records and other years
 * count nowhere.
 */

const YEAR = 2025;
const LEVELS = ['province', 'city', 'county', 'pairup'] as const;
/** Real codes on each side at each level, so the region prefixes (32, 3205, 320508 …) are exercised. */
const ASSISTING = ['320000', '320500', '320508', '440000', '440100', '440104'];
const ASSISTED = ['610000', '610100', '610102', '520000', '520600', '520602'];

interface Rec {
  table: 'funds' | 'consumption' | 'labour';
  year: number;
  deleted: boolean;
  amount: number;
  kind: 'fiscal' | 'social';
  confirmation: 'unconfirmed' | 'confirmed' | 'mismatch';
}
interface Node {
  parent: number | null; // index of an earlier node
  assisting: string;
  assisted: string;
  startYear: number;
  endYear: number | null;
  records: Rec[];
}

const rec: fc.Arbitrary<Rec> = fc.record({
  table: fc.constantFrom('funds' as const, 'consumption' as const, 'labour' as const),
  year: fc.constantFrom(YEAR - 2, YEAR - 1, YEAR, YEAR, YEAR),
  deleted: fc.integer({ min: 0, max: 5 }).map((n) => n === 0), // one in six deleted
  amount: fc.oneof(fc.nat(1_000), fc.nat(1_000_000_000)),
  kind: fc.constantFrom('fiscal' as const, 'social' as const),
  confirmation: fc.constantFrom('unconfirmed' as const, 'confirmed' as const, 'mismatch' as const),
});

/** 1–14 pairings; each takes an earlier node of a higher level as parent, or none (a root). */
const forest: fc.Arbitrary<Node[]> = fc
  .array(
    fc.record({
      parentPick: fc.option(fc.nat(), { freq: 5 }),
      assisting: fc.constantFrom(...ASSISTING),
      assisted: fc.constantFrom(...ASSISTED),
      startYear: fc.integer({ min: YEAR - 3, max: YEAR + 1 }),
      span: fc.option(fc.integer({ min: 0, max: 3 })),
      records: fc.array(rec, { maxLength: 4 }),
    }),
    { minLength: 1, maxLength: 14 },
  )
  .map((raw) => {
    const depth: number[] = [];
    return raw.map((r, i): Node => {
      // parents are earlier nodes above pair-up level (a pair-up has no children)
      const candidates = depth.flatMap((d, j) => (d < 3 && j < i ? [j] : []));
      const parent = r.parentPick === null || candidates.length === 0 ? null : candidates[r.parentPick % candidates.length]!;
      depth.push(parent === null ? 0 : depth[parent]! + 1);
      return {
        parent,
        assisting: r.assisting,
        assisted: r.assisted,
        startYear: r.startYear,
        endYear: r.span === null ? null : r.startYear + r.span,
        records: r.records,
      };
    });
  });

/** Writes the forest (replacing the last one) and returns the pairing id of each node. */
function write(db: Db, nodes: Node[]): number[] {
  const c = db.$client;
  c.exec('DELETE FROM funds; DELETE FROM consumption; DELETE FROM labour; DELETE FROM pairings;');
  const pairing = c.prepare(
    `INSERT INTO pairings (level, parent_id, assisting_code, assisted_code, start_year, end_year, pairup_kind, assisting_unit, assisted_unit)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: number[] = [];
  const levelOf: number[] = [];
  nodes.forEach((n) => {
    const level = n.parent === null ? 0 : levelOf[n.parent]! + 1;
    levelOf.push(level);
    const pairup = level === 3;
    const row = pairing.run(
      LEVELS[level],
      n.parent === null ? null : ids[n.parent]!,
      n.assisting,
      n.assisted,
      n.startYear,
      n.endYear,
      pairup ? 'village' : null,
      pairup ? '某企业' : null,
      pairup ? '某村' : null,
    );
    ids.push(Number(row.lastInsertRowid));
  });
  const deletedAt = (r: Rec) => (r.deleted ? Date.now() : null);
  const funds = c.prepare(
    `INSERT INTO funds (pairing_id, year, date, kind, committed_fen, disbursed_fen, purpose, confirmation, deleted_at)
     VALUES (?, ?, ?, ?, ?, ?, '产业发展', ?, ?)`,
  );
  const consumption = c.prepare(
    "INSERT INTO consumption (pairing_id, year, date, amount_fen, products, deleted_at) VALUES (?, ?, ?, ?, '猕猴桃', ?)",
  );
  const labour = c.prepare(
    `INSERT INTO labour (pairing_id, year, date, period_start, period_end, destination, people, formerly_poor, deleted_at)
     VALUES (?, ?, ?, '2025-01-01', '2025-06-30', 'local', ?, ?, ?)`,
  );
  nodes.forEach((n, i) => {
    for (const r of n.records) {
      const date = `${r.year}-03-01`;
      if (r.table === 'funds') funds.run(ids[i]!, r.year, date, r.kind, r.amount, r.amount, r.confirmation, deletedAt(r));
      else if (r.table === 'consumption') consumption.run(ids[i]!, r.year, date, r.amount, deletedAt(r));
      else labour.run(ids[i]!, r.year, date, r.amount, Math.floor(r.amount / 2), deletedAt(r));
    }
  });
  return ids;
}

/** The oracle: what one node's own records and pair-up standing add for a year, by measure. */
function ownTotals(n: Node, isPairup: boolean, year: number): Totals {
  const t = emptyTotals();
  const add = (k: MeasureKey, v: number) => (t[k] += v);
  for (const r of n.records) {
    if (r.deleted || r.year !== year) continue;
    if (r.table === 'funds') {
      add(r.kind === 'fiscal' ? 'fiscalFunds' : 'socialFunds', r.amount);
      add('transfers', 1);
      if (r.confirmation === 'unconfirmed') add('transfersUnconfirmed', 1);
      if (r.confirmation === 'mismatch') add('transfersMismatched', 1);
    } else if (r.table === 'consumption') add('purchases', r.amount);
    else {
      add('jobs', r.amount);
      add('jobsFormerlyPoor', Math.floor(r.amount / 2));
    }
  }
  if (isPairup && n.startYear <= year && (n.endYear === null || n.endYear >= year)) add('pairups', 1);
  return t;
}
const plus = (a: Totals, b: Totals): Totals => {
  const out = emptyTotals();
  for (const m of MEASURES) out[m.key] = a[m.key] + b[m.key];
  return out;
};

/** Each node's subtree total, built bottom-up from children (the "sum of children" definition). */
function oracle(nodes: Node[], year: number) {
  const levels: number[] = [];
  for (const n of nodes) levels.push(n.parent === null ? 0 : levels[n.parent]! + 1);
  const own = nodes.map((n, i) => ownTotals(n, levels[i] === 3, year));
  const total = own.map((t) => ({ ...t }));
  // children come after their parents: walking backwards adds each finished subtree to its parent
  for (let i = nodes.length - 1; i >= 0; i--) {
    const p = nodes[i]!.parent;
    if (p !== null) total[p] = plus(total[p]!, total[i]!);
  }
  return { levels, own, total };
}

describe('properties: roll-up of the pairing and region trees', () => {
  let db: Db;
  before(() => {
    db = buildDb();
  });

  it('when records lie anywhere in a random pairing tree, then each node’s total (recursive SQL and in-memory walk alike) is the sum over its subtree', () => {
    fc.assert(
      fc.property(forest, (nodes) => {
        const ids = write(db, nodes);
        const { levels, total } = oracle(nodes, YEAR);
        const byRoot = totalsByRootAndYear(db, ids, YEAR, YEAR);
        const pairs = new Map(
          nodes.map((n, i) => [
            ids[i]!,
            {
              parentId: n.parent === null ? null : ids[n.parent]!,
              level: LEVELS[levels[i]!]!,
              startYear: n.startYear,
              endYear: n.endYear,
            },
          ]),
        );
        const inMemory = rolledUpTotalsOfSet(db, ids, pairs, YEAR).totals;
        ids.forEach((id, i) => {
          expect(shown(byRoot.get(id)?.get(YEAR) ?? emptyTotals()), `SQL, node ${i}`).to.deep.equal(shown(total[i]!));
          expect(shown(inMemory.get(id)!), `in memory, node ${i}`).to.deep.equal(shown(total[i]!));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('when a random tree is assessed, then a pairing object holds its subtree and a region object every pairing whose side lies within it (this year and last)', () => {
    fc.assert(
      fc.property(forest, (nodes) => {
        const ids = write(db, nodes);
        const doc = frameworkOver(ids, nodes);
        const values = objectValues(db, doc, YEAR);
        for (const [slot, year] of [
          ['current', YEAR],
          ['previous', YEAR - 1],
        ] as const) {
          const { levels, own, total } = oracle(nodes, year);
          // a pair-up's records and standing count with its parent county pair
          const counted = own.map((t) => ({ ...t }));
          nodes.forEach((n, i) => {
            if (levels[i] === 3) counted[n.parent!] = plus(counted[n.parent!]!, own[i]!);
          });
          nodes.forEach((n, i) => {
            if (levels[i] === 3) return;
            expect(shown(values.get(`p.${ids[i]}`)![slot]), `pairing ${i}, ${slot}`).to.deep.equal(shown(total[i]!));
          });
          for (const [side, codes] of [
            ['assisting', ASSISTING],
            ['assisted', ASSISTED],
          ] as const) {
            for (const code of codes) {
              const prefix = prefixOfCode(code);
              let expected = emptyTotals();
              nodes.forEach((n, i) => {
                if (levels[i] !== 3 && (side === 'assisting' ? n.assisting : n.assisted).startsWith(prefix))
                  expected = plus(expected, counted[i]!);
              });
              expect(shown(values.get(`r.${side}.${code}`)![slot]), `region ${side} ${code}, ${slot}`).to.deep.equal(
                shown(expected),
              );
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

/** The measures that are not zero (short failure messages; objectValues' derived confirmedShare left out). */
function shown(v: Totals): Partial<Totals> {
  return Object.fromEntries(MEASURES.flatMap((m) => (v[m.key] ? [[m.key, v[m.key]]] : [])));
}

/** A framework whose objects are every non-pair-up pairing and every region of the code lists, on each side. */
function frameworkOver(ids: number[], nodes: Node[]): FrameworkDoc {
  const doc = defaultFramework(YEAR, [1]);
  const levels: number[] = [];
  for (const n of nodes) levels.push(n.parent === null ? 0 : levels[n.parent]! + 1);
  const pairings = ids.filter((_, i) => levels[i] !== 3).map((pairingId) => ({ kind: 'pairing' as const, pairingId }));
  doc.objects.groups = [
    { key: 'pairings', name: '结对', side: 'assisted', members: pairings },
    { key: 'east', name: '东部', side: 'assisting', members: ASSISTING.map((code) => ({ kind: 'region' as const, code })) },
    { key: 'west', name: '西部', side: 'assisted', members: ASSISTED.map((code) => ({ kind: 'region' as const, code })) },
  ];
  return doc;
}
