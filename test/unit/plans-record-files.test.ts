import { expect } from 'chai';
import { recordFiles } from '../../db/schema/index.ts';
import { RECORD_KINDS, recordKindKeys } from '../../server/records/records.service.ts';
import { filesOfPairingsQuery, listFilesQuery } from '../../server/records/records.files.queries.ts';
import { buildDb, buildUser } from '../support/app.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';

type Dialect = { sqlToQuery(s: unknown): { sql: string; params: unknown[] } };

/**
 * A record page lists its files, and a scorecard's "why" panel the files behind a measure: both
 * find them by an index (the record's kind and id; each record table's pairing and year), never a
 * scan of the files or of the records.
 */
describe('query plans of the files on records', () => {
  it('when the files of some pairings and a year are read, then each record table’s (pairing_id, year) index and the files’ (record_kind, record_id) index answer', async () => {
    const db = buildDb();
    const pair = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    // no ANALYZE: a toy table would rightly be scanned; the national data spreads over 13,000 pairings
    for (let i = 0; i < 30; i++) buildRecord(db, 'funds', pair.id, { ref: `P-${i}` });
    const user = await buildUser(db);
    db.insert(recordFiles)
      .values({
        recordKind: 'funds',
        recordId: 1,
        userId: user.id,
        filename: 'a.pdf',
        mime: 'application/pdf',
        size: 4,
        data: Buffer.from('%PDF'),
      })
      .run();
    const dialect = (db as unknown as { dialect: Dialect }).dialect;
    for (const kind of recordKindKeys)
      for (const scope of [null, { lo: '32', hi: '32:' }]) {
        const { sql, params } = dialect.sqlToQuery(
          filesOfPairingsQuery(kind, RECORD_KINDS[kind].table, JSON.stringify([pair.id]), 2024, scope),
        );
        const plan = (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join(' | ');
        expect(plan, kind).to.match(new RegExp(`SEARCH r USING INDEX ${kind}_pairing_year_idx`));
        expect(plan, kind).to.match(/SEARCH f USING INDEX record_files_record_idx \(record_kind=\? AND record_id=\?\)/);
        expect(plan, kind).to.match(/SEARCH p USING INTEGER PRIMARY KEY/);
        expect(plan, kind).not.to.match(/SCAN (r|f|p)\b/);
      }
  });

  it('when a record page lists its files, then the files’ (record_kind, record_id) index answers', () => {
    const db = buildDb();
    const { sql, params } = listFilesQuery(db, 'funds', 1).toSQL();
    const plan = (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
    expect(plan.join(' | ')).to.match(
      /SEARCH record_files USING INDEX record_files_record_idx \(record_kind=\? AND record_id=\?\)/,
    );
    expect(plan.join(' | ')).not.to.match(/SCAN record_files/);
  });
});
