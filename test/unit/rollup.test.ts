import { expect } from 'chai';
import type { Db } from '../../db/client.ts';
import { totalsByRootAndYear } from '../../server/records/records.measures.ts';
import { buildNationalLike } from '../support/national.ts';

type Row = Record<string, number | string | null>;

/** The naive sums: walk the tree in JavaScript, add up every live record of every pairing in it. */
function naiveTotals(db: Db, rootId: number, year: number) {
  const c = db.$client;
  const live = c
    .prepare('SELECT id, parent_id AS parentId, level, start_year AS s, end_year AS e FROM pairings WHERE deleted_at IS NULL')
    .all() as {
    id: number;
    parentId: number | null;
    level: string;
    s: number;
    e: number | null;
  }[];
  const ids = new Set([rootId]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of live) if (p.parentId !== null && ids.has(p.parentId) && !ids.has(p.id)) (ids.add(p.id), (grew = true));
  }
  const rows = (table: string) =>
    (c.prepare(`SELECT * FROM ${table} WHERE deleted_at IS NULL AND year = ?`).all(year) as Row[]).filter((r) =>
      ids.has(r.pairing_id as number),
    );
  const sum = (list: Row[], f: (r: Row) => number) => list.reduce((n, r) => n + f(r), 0);
  const funds = rows('funds');
  const talents = rows('talents');
  return {
    fiscalFunds: sum(funds, (r) => (r.kind === 'fiscal' ? (r.disbursed_fen as number) : 0)),
    socialFunds: sum(funds, (r) => (r.kind === 'social' ? (r.disbursed_fen as number) : 0)),
    transfers: funds.length,
    cadresSent: sum(talents, (r) => (r.kind === 'cadre' && r.direction === 'to_west' ? (r.people as number) : 0)),
    peopleTrained: sum(talents, (r) => (r.kind === 'training' ? ((r.trained as number | null) ?? 0) : 0)),
    investment: sum(rows('projects'), (r) => r.actual_fen as number),
    jobs: sum(rows('labour'), (r) => r.people as number),
    purchases: sum(rows('consumption'), (r) => r.amount_fen as number),
    pairups: live.filter((p) => ids.has(p.id) && p.level === 'pairup' && p.s <= year && (p.e ?? year) >= year).length,
  };
}

describe('roll-up totals of a pairing and everything below it', function () {
  this.timeout(20_000);
  const db = buildNationalLike();
  const sample = (level: string) =>
    (
      db.$client
        .prepare('SELECT id FROM pairings WHERE level = ? AND deleted_at IS NULL ORDER BY id LIMIT 3 OFFSET 1')
        .all(level) as { id: number }[]
    ).map((r) => r.id);

  for (const level of ['province', 'city', 'county', 'pairup']) {
    it(`when a ${level} pair is rolled up, then each year's totals equal the naive per-record sums`, () => {
      const ids = sample(level);
      expect(ids, 'sample').to.not.be.empty;
      const all = totalsByRootAndYear(db, ids, 2015, 2025);
      for (const id of ids) {
        for (const year of [2016, 2020, 2025]) {
          const naive = naiveTotals(db, id, year);
          const got = all.get(id)?.get(year);
          for (const [key, value] of Object.entries(naive))
            expect(got?.[key as keyof typeof naive] ?? 0, `${id} ${year} ${key}`).to.equal(value);
        }
      }
      expect(
        Object.values(naiveTotals(db, ids[0]!, 2025)).some((v) => v > 0),
        'the sample has records',
      ).to.equal(true);
    });
  }

  it('when a record changes after a roll-up was kept, then the next roll-up shows the change', () => {
    const [id] = sample('county');
    const before = totalsByRootAndYear(db, [id!], 2025, 2025).get(id!)?.get(2025)?.jobs ?? 0;
    db.$client
      .prepare(
        'UPDATE labour SET people = people + 1000 WHERE id = (SELECT id FROM labour WHERE pairing_id = ? AND year = 2025 AND deleted_at IS NULL LIMIT 1)',
      )
      .run(id);
    expect(totalsByRootAndYear(db, [id!], 2025, 2025).get(id!)?.get(2025)?.jobs).to.equal(before + 1000);
  });

  it('when a change inside a transaction is rolled back, then no roll-up of it is kept', () => {
    const [id] = sample('county');
    const before = totalsByRootAndYear(db, [id!], 2024, 2024).get(id!)?.get(2024)?.jobs ?? 0;
    expect(() =>
      db.transaction(() => {
        db.$client.prepare('UPDATE labour SET people = people + 7 WHERE pairing_id = ? AND year = 2024').run(id);
        expect(totalsByRootAndYear(db, [id!], 2024, 2024).get(id!)?.get(2024)?.jobs).to.be.greaterThan(before);
        throw new Error('roll back');
      }),
    ).to.throw('roll back');
    expect(totalsByRootAndYear(db, [id!], 2024, 2024).get(id!)?.get(2024)?.jobs).to.equal(before);
  });
});
