import { expect } from 'chai';
import { byYearSql, FLOW_MEASURES, flowsSql, type FlowMeasure } from '../../server/charts/charts.queries.ts';
import { buildNationalLike } from '../support/national.ts';

/**
 * The charts' aggregates between provinces run on the national scale (13,000 pairings, 600,000
 * records); kept per data version, they still run once after every change. Each finds its rows by
 * an index: the whole country by the record table's year, a region by its pairings' sides and then
 * their records by (pairing, year). Never a scan of a record table or of the pairings.
 */
describe('query plans of the charts', () => {
  const db = buildNationalLike();
  const plan = (sql: string, params: Record<string, unknown>) =>
    (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');
  const cases = Object.keys(FLOW_MEASURES) as FlowMeasure[];

  for (const measure of cases) {
    const table = FLOW_MEASURES[measure].table;
    it(`when the whole country's ${measure} are summed, then the year index of ${table} finds the records and the pairings are read by key`, () => {
      for (const p of [
        plan(flowsSql(measure, false), { year: 2024 }),
        plan(byYearSql(measure, false), { from: 1996, to: 2025 }),
      ]) {
        expect(p).to.match(new RegExp(`SEARCH r USING (COVERING )?INDEX ${table}_page_idx \\(year`));
        expect(p).to.match(/SEARCH p USING INTEGER PRIMARY KEY/);
        expect(p).not.to.match(/\bSCAN (r|p|pairings|funds|talents)\b/);
      }
    });

    it(`when a region's ${measure} are summed, then its pairings are found by their sides' indexes and their records by (pairing, year)`, () => {
      const params = { lo: '32', hi: '32:' };
      for (const p of [
        plan(flowsSql(measure, true), { ...params, year: 2024 }),
        plan(byYearSql(measure, true), { ...params, from: 1996, to: 2025 }),
      ]) {
        expect(p).to.match(
          /SEARCH pairings USING (COVERING )?INDEX pairings_assisting_idx \(assisting_code>\? AND assisting_code<\?\)/,
        );
        expect(p).to.match(
          /SEARCH pairings USING (COVERING )?INDEX pairings_assisted_idx \(assisted_code>\? AND assisted_code<\?\)/,
        );
        expect(p).to.match(new RegExp(`SEARCH r USING INDEX ${table}_pairing_year_idx \\(pairing_id=\\? AND year`));
        expect(p).not.to.match(/\bSCAN (r|p|pairings|funds|talents)\b/);
      }
    });
  }
});
