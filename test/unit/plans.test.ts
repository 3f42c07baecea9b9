import { expect } from 'chai';
import type { SQL } from 'drizzle-orm';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { RECORD_KINDS } from '../../server/records/records.kinds.ts';
import { pairupsQuery, rollUpQuery } from '../../server/records/records.measures.ts';
import { pageOfRecords, pageSql, rowsByIdsQuery } from '../../server/records/records.queries.ts';
import { STAMP_SQL, dependenciesOf } from '../../server/assessment/assessment.cache.ts';
import { commentsQuery } from '../../server/comments/comments.queries.ts';
import { objectInputsQuery } from '../../server/assessment/assessment.queries.ts';
import { HAS_CONTENT_SQL, pairingSetWithin } from '../../server/pairings/pairings.queries.ts';
import { buildDb } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { buildNationalLike } from '../support/national.ts';

/**
 * Hot queries added for issue 8 read indexes, never whole tables: whether a pairing is in use
 * (asked on every pairing page and edit) and a record's comments (every record page). Checked on
 * the plan SQLite chooses, with rows in the tables and statistics gathered, as in production.
 */
function planOf(db: ReturnType<typeof buildDb>, sql: string, params: unknown[]): string[] {
  const rows = db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail);
}

describe('query plans of the ownership checks', () => {
  const db = buildDb();
  const { county } = buildJiangsuShaanxi(db);
  for (let i = 0; i < 20; i++) buildRecord(db, 'funds', county.id, { ref: `F-${i}` });
  db.$client.exec('ANALYZE');

  it('when a pairing is checked for content, then every table is searched by an index on the pairing', () => {
    const plan = planOf(db, HAS_CONTENT_SQL, Array(7).fill(county.id));
    const reads = plan.filter((d) => /^(SCAN|SEARCH) /.test(d) && !d.startsWith('SCAN CONSTANT'));
    expect(reads).to.have.length(7);
    for (const d of reads) expect(d, d).to.match(/^SEARCH \w+ USING (COVERING )?INDEX/);
  });

  it('when a scorecard’s inputs are read, then only that object’s are read, by the (round, object) unique index', () => {
    const { sql } = objectInputsQuery(db).toSQL();
    const plan = planOf(db, sql, [1, 'r.assisting.320000']).join(' | ');
    expect(plan).to.match(/SEARCH assessment_inputs USING INDEX inputs_uq \(round_id=\? AND object_key=\?\)/);
  });

  it('when a record’s comments are listed, then the comments index is used', () => {
    const { sql, params } = commentsQuery(db, 'record.funds', '1').toSQL();
    const plan = planOf(db, sql, params);
    expect(plan.join(' | ')).to.match(/SEARCH comments USING INDEX comments_entity_idx/);
    expect(plan.join(' | ')).to.not.match(/SCAN comments/);
  });
});

describe('query plans of the assessment cache', () => {
  const db = buildDb();
  const { county } = buildJiangsuShaanxi(db);
  for (let year = 2021; year <= 2025; year++)
    buildRecord(db, 'funds', county.id, { year, date: `${year}-03-01`, disbursedOn: `${year}-03-02`, ref: `V-${year}` });
  db.$client.exec('ANALYZE');

  it('when a view checks whether a kept year is current, then each data version is read by its key', () => {
    const plan = planOf(db, STAMP_SQL, dependenciesOf(2024));
    expect(plan.join(' | ')).to.match(/SEARCH data_versions USING PRIMARY KEY \(key=\?\)/);
    expect(plan.join(' | ')).to.not.match(/SCAN data_versions/);
  });
});

describe('query plans of the national-scale pages', function () {
  this.timeout(20_000);
  const db = buildNationalLike();
  const tables = ['funds', 'talents', 'projects', 'labour', 'consumption'] as const;
  const province = (db.$client.prepare("SELECT id FROM pairings WHERE level = 'province' LIMIT 1").get() as { id: number }).id;

  it('when a pairing page names the records of its recent changes, then each is found by its key, not a scan', () => {
    for (const kind of Object.values(RECORD_KINDS)) {
      const { sql } = rowsByIdsQuery(db, kind.table).toSQL();
      const plan = planOf(db, sql, ['[1,2,3]']).join(' | ');
      expect(plan, kind.key).to.match(new RegExp(`^SEARCH ${kind.key} USING INTEGER PRIMARY KEY`));
      expect(plan, kind.key).to.match(/SEARCH pairings USING INTEGER PRIMARY KEY/);
      expect(plan, kind.key).to.not.match(/SCAN (pairings|funds|talents|projects|labour|consumption)\b/);
    }
  });

  for (const table of tables) {
    it(`when a pairing's ${table} are rolled up, then the pairing tree drives the join and the records are searched by pairing and year`, () => {
      const { sql, params } = sqlOf(rollUpQuery(table, [province], 2015, 2025));
      const plan = planOf(db, sql, params).join(' | ');
      expect(plan).to.match(
        new RegExp(`SCAN tree \\| SEARCH r USING INDEX ${table}_pairing_year_idx \\(pairing_id=\\? AND year`),
      );
      expect(plan).to.not.match(/_year_idx \(year/);
      expect(plan).to.not.match(/SCAN r\b/);
    });

    it(`when a page of ${table} is listed for the whole country, then the (year, date, id) index gives the order: no sort at all`, () => {
      const kind = Object.values(RECORD_KINDS).find((k) => k.key === table)!;
      const { sql, params } = pageOfRecords(db, kind.table, {}, 'date', 50, 0).toSQL();
      const plan = planOf(db, sql, params).join(' | ');
      expect(plan).to.match(new RegExp(`SCAN ${table} USING COVERING INDEX ${table}_page_idx`));
      expect(plan).to.not.match(/USE TEMP B-TREE/);
    });
  }

  it('when a page of a scoped list is walked, then the (year, date, id) index gives the order and holds the pairing, and the scope is a kept table searched by key: no join, no sort, no row read, no JSON', () => {
    const kind = RECORD_KINDS.funds;
    const within = pairingSetWithin(db, '32', undefined);
    const { sql, params } = pageOfRecords(db, kind.table, {}, 'date', 50, 0, within, 'walk').toSQL();
    const plan = planOf(db, sql, params).join(' | ');
    expect(plan).to.match(/SCAN funds USING COVERING INDEX funds_page_idx/);
    expect(plan).to.match(/SEARCH ON TABLE id_set_\d+ FOR IN-OPERATOR/);
    expect(plan).to.not.match(/json_each/);
    expect(plan).to.not.match(/pairings|USE TEMP B-TREE/);
  });

  it('when a page of a small region is searched, then its pairings’ records are found by the (pairing_id, year) index', () => {
    const kind = RECORD_KINDS.funds;
    const within = pairingSetWithin(db, '32', '3205');
    const { sql, params } = pageSql(
      db,
      kind.table,
      { year: 2024 },
      { sort: 'date', limit: 50, offset: 0, within, plan: 'search' },
    );
    const plan = planOf(db, sql, params).join(' | ');
    expect(plan).to.match(/SEARCH funds USING INDEX funds_pairing_year_idx \(pairing_id=\? AND year=\?\)/);
    expect(plan).to.not.match(/pairings|SCAN funds/);
  });

  it('when a small region is searched with the national dataset’s statistics, then the named pairing index still serves it, where SQLite alone would read the whole year', () => {
    // sqlite_stat1 of funds as ANALYZE wrote it on `npm run seed:national` (144,000 funds)
    const national = buildNationalLike();
    const c = national.$client;
    c.prepare("DELETE FROM sqlite_stat1 WHERE tbl = 'funds'").run();
    c.prepare("DELETE FROM sqlite_stat4 WHERE tbl = 'funds'").run();
    const stat = c.prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('funds', ?, ?)");
    stat.run('funds_page_idx', '144000 401 45 1 1 1');
    stat.run('funds_pairing_year_idx', '144000 101 12');
    stat.run('funds_ref_uq', '144000 101 101');
    c.exec('ANALYZE sqlite_schema');
    const within = pairingSetWithin(national, '32', '3205');
    const page = { sort: 'date', limit: 50, offset: 0, within, plan: 'search' } as const;
    const unnamed = pageOfRecords(national, RECORD_KINDS.funds.table, { year: 2024 }, 'date', 50, 0, within, 'search').toSQL();
    expect(planOf(national, unnamed.sql, unnamed.params).join(' | ')).to.match(/funds_page_idx \(year=\?\)/);
    const named = pageSql(national, RECORD_KINDS.funds.table, { year: 2024 }, page);
    expect(planOf(national, named.sql, named.params).join(' | ')).to.match(
      /SEARCH funds USING INDEX funds_pairing_year_idx \(pairing_id=\? AND year=\?\)/,
    );
  });

  it('when the pair-ups below a pairing are counted, then the tree drives the join by primary key', () => {
    const { sql, params } = sqlOf(pairupsQuery([province]));
    const plan = planOf(db, sql, params).join(' | ');
    expect(plan).to.match(/SCAN tree \| SEARCH p USING INTEGER PRIMARY KEY/);
    expect(plan).to.not.match(/SCAN p\b/);
  });
});

/** The SQL text and parameters of a drizzle `sql` fragment, as better-sqlite3 takes them. */
function sqlOf(query: SQL): { sql: string; params: unknown[] } {
  return new SQLiteSyncDialect().sqlToQuery(query);
}
