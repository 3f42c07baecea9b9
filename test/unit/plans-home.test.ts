import { expect } from 'chai';
import { SET_CHANGES_SQL, SET_AGREEMENTS_SQL, SET_PAIRINGS_SQL } from '../../server/home/home.queries.ts';
import { setTotalsQuery } from '../../server/records/records.measures.ts';
import { YEAR_REPORTS_SQL } from '../../server/reports/reports.queries.ts';
import { buildDb } from '../support/app.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';

/**
 * The home pages' boards read a whole scope (江苏: 2,242 pairings on the national dataset): each
 * query is driven by the scope's ids and finds its rows by an index (a pairing's id, its records
 * of a year, its agreement of a year, its audit rows after the mark), never a scan of a table.
 */
describe('query plans of the home pages', () => {
  it('when a board reads its scope, then every table is searched by an index', () => {
    const db = buildDb();
    const pair = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    for (let i = 0; i < 30; i++) buildRecord(db, 'funds', pair.id, { ref: `P-${i}` });
    const ids = JSON.stringify([pair.id]);
    const plan = (text: string, params: unknown[]) =>
      (db.$client.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

    expect(plan(SET_PAIRINGS_SQL, [ids])).to.match(/SEARCH p USING INTEGER PRIMARY KEY/);
    expect(plan(SET_AGREEMENTS_SQL, [ids, 2024])).to.match(/SEARCH a USING INDEX agreements_pairing_year_uq/);
    const changes = plan(SET_CHANGES_SQL, [ids, 0, 10]);
    expect(changes).to.match(/SEARCH a USING INDEX audit_pairing_idx \(pairing_id=\? AND id>\?\)/);
    // each pairing's rows in the index's order: the scope's history is never sorted whole
    expect(changes).not.to.match(/TEMP B-TREE/);
    expect(plan(YEAR_REPORTS_SQL, [2024])).to.match(/SEARCH reports USING INDEX reports_year_status_idx/);
    for (const table of ['funds', 'talents', 'projects', 'labour', 'consumption']) {
      const dialect = (db as unknown as { dialect: { sqlToQuery(s: unknown): { sql: string; params: unknown[] } } }).dialect;
      const { sql, params } = dialect.sqlToQuery(setTotalsQuery(table, ids, 2024));
      const detail = plan(sql, params);
      expect(detail).to.match(new RegExp(`SEARCH r USING INDEX ${table}_pairing_year_idx`));
      expect(detail).not.to.match(/SCAN r\b/);
    }
  });
});
