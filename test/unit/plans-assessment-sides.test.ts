import { expect } from 'chai';
import { PARTNERS_SQL, inputKeysQuery } from '../../server/assessment/assessment.queries.ts';
import { buildDb } from '../support/app.ts';
import { buildPairing } from '../support/factories.ts';

/**
 * Who the paired side of each region object is (read once per year's basis) and what waits on an
 * evaluator's worklist (read on each view of it) are found by indexes, never by a scan of the
 * 13,000 pairings or of a national round's inputs.
 */
describe('query plans of the sides’ views and the worklist', () => {
  const plan = (db: ReturnType<typeof buildDb>, sql: string, params: unknown[]) =>
    (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

  it('when the basis looks up the regions paired with the framework’s objects, then both code indexes answer', () => {
    const db = buildDb();
    buildPairing(db);
    buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const codes = JSON.stringify(['610000', '320000']);
    const p = plan(db, PARTNERS_SQL, [codes, 2024, 2024, codes, 2024, 2024]);
    expect(p).to.match(/SEARCH pairings USING INDEX pairings_assisted_idx \(assisted_code=\?\)/);
    expect(p).to.match(/SEARCH pairings USING INDEX pairings_assisting_idx \(assisting_code=\?\)/);
    expect(p).not.to.match(/SCAN pairings/);
  });

  it('when the worklist reads an evaluator’s scores and the round’s objections, then only the round’s inputs are read, by an index', () => {
    const db = buildDb();
    for (const [userId, label] of [
      [7, 'one author'],
      [undefined, 'every author'],
    ] as const) {
      const { sql, params } = inputKeysQuery(db, 1, 'judged', userId).toSQL();
      // the round's own inputs only: by the (round, kind) index, or the unique index covering the whole row read
      expect(plan(db, sql, params), label).to.match(
        /^SEARCH assessment_inputs USING (COVERING )?INDEX (inputs_round_idx|inputs_uq) \(round_id=\?/,
      );
    }
  });
});
