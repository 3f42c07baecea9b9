import { expect } from 'chai';
import { buildDb } from '../support/app.ts';
import { childrenQuery, provincesQuery } from '../../server/regions/regions.queries.ts';

describe('query plans of the region lists', () => {
  const db = buildDb();
  db.$client.exec('ANALYZE');
  const planOf = (query: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql, params } = query.toSQL();
    const rows = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
    return rows.map((r) => r.detail);
  };

  it('when the provinces or a region’s children are listed with their counts, then each count searches the parent index', () => {
    for (const plan of [planOf(provincesQuery(db)), planOf(childrenQuery(db, '320000'))]) {
      const subquery = plan.filter((d) => /^(SEARCH|SCAN) c /.test(d));
      expect(subquery, plan.join(' | ')).to.not.be.empty;
      for (const d of subquery) expect(d, plan.join(' | ')).to.match(/USING (COVERING )?INDEX regions_parent_idx/);
    }
  });
});
