import { expect } from 'chai';
import { LOCKED_SQL, RECORDS_BY_SIDE_SQL } from '../../server/reports/reports.queries.ts';
import { SAVED_FILTERS_SQL } from '../../server/filters/filters.queries.ts';
import { buildDb } from '../support/app.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';

/**
 * The reports' queries run on every pairing page and record view: each finds its rows by an
 * index (the report's pairing, year and side; each record table's pairing and year), never a scan.
 */
describe('query plans of reports', () => {
  it('when a page asks for the locked sides and the records of each side, then indexes answer', () => {
    const db = buildDb();
    const pair = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    // no ANALYZE: on a toy table of one pairing SQLite would rightly scan it; the national data spreads over 13,000 pairings
    for (let i = 0; i < 30; i++) buildRecord(db, 'funds', pair.id, { ref: `P-${i}` });
    const plan = (sql: string, params: unknown[]) =>
      (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    expect(plan(LOCKED_SQL, [pair.id, 2024]).join(' | ')).to.match(/SEARCH reports USING INDEX reports_pairing_year_side_uq/);
    const sides = plan(RECORDS_BY_SIDE_SQL, Array.from({ length: 5 }, () => [pair.id, 2024]).flat());
    for (const table of ['funds', 'talents', 'projects', 'labour', 'consumption'])
      expect(sides.join(' | ')).to.match(new RegExp(`SEARCH ${table} USING (COVERING )?INDEX ${table}_pairing_year_idx`));
    expect(sides.join(' | ')).not.to.match(/SCAN (funds|talents|projects|labour|consumption)\b/);
  });
});

describe('query plan of the filters that stay', () => {
  it('when a list looks up the user’s saved filters, then the table’s key answers (one search, no scan)', () => {
    const db = buildDb();
    const plan = (db.$client.prepare(`EXPLAIN QUERY PLAN ${SAVED_FILTERS_SQL}`).all(1, 'pairings') as { detail: string }[]).map(
      (r) => r.detail,
    );
    expect(plan).to.deep.equal(['SEARCH user_filters USING PRIMARY KEY (user_id=? AND list=?)']);
  });
});
