import { expect } from 'chai';
import { buildDb } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { childrenQuery, provincesQuery } from '../../server/regions/regions.queries.ts';
import { PEOPLE_OF_YEAR_SQL } from '../../server/records/records.warnings.ts';

describe('query plans of the region lists and the plausibility warnings', () => {
  const db = buildDb();
  const { county } = buildJiangsuShaanxi(db);
  for (let i = 0; i < 20; i++) {
    buildRecord(db, 'talents', county.id, { ref: `T-${i}` });
    buildRecord(db, 'labour', county.id, { ref: `L-${i}` });
  }
  db.$client.exec('ANALYZE');
  const planOf = (sql: string, params: unknown[] = []) =>
    (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  const planOfQuery = (query: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql, params } = query.toSQL();
    return planOf(sql, params);
  };

  it('when the provinces or a region’s children are listed with their counts, then each count searches the parent index', () => {
    for (const plan of [planOfQuery(provincesQuery(db)), planOfQuery(childrenQuery(db, '320000'))]) {
      const subquery = plan.filter((d) => /^(SEARCH|SCAN) c /.test(d));
      expect(subquery, plan.join(' | ')).to.not.be.empty;
      for (const d of subquery) expect(d, plan.join(' | ')).to.match(/USING (COVERING )?INDEX regions_parent_idx/);
    }
  });

  it('when a head count is checked against the pair’s last year, then the records are searched by (pairing, year)', () => {
    expect(planOf(PEOPLE_OF_YEAR_SQL.talents, [county.id, 2023, 'cadre', 'to_west']).join(' | ')).to.match(
      /^SEARCH talents USING INDEX talents_pairing_year_idx \(pairing_id=\? AND year=\?\)$/,
    );
    expect(planOf(PEOPLE_OF_YEAR_SQL.labour, [county.id, 2023]).join(' | ')).to.match(
      /^SEARCH labour USING INDEX labour_pairing_year_idx \(pairing_id=\? AND year=\?\)$/,
    );
  });
});
