import { expect } from 'chai';
import { imports } from '../../db/schema/index.ts';
import { CHANGES_SQL, rowsOfSql } from '../../server/exchange/imports.queries.ts';
import { buildDb, buildUser } from '../support/app.ts';

/**
 * An import's page lists its rows of one outcome: the bad rows by their partial index (a few
 * among 100,000), the others along the primary key in file order — never a sort of the import.
 */
describe('query plans of an import’s rows', () => {
  it('when the bad rows or the new rows of an import are paged, then an index gives them in file order', async () => {
    const db = buildDb();
    const user = await buildUser(db);
    const [entry] = db
      .insert(imports)
      .values({ userId: user.id, kind: 'funds', fileName: 'f.csv', format: 'csv', fileBytes: 1 })
      .returning()
      .all();
    const insert = db.$client.prepare("INSERT INTO import_rows (import_id, row_no, cells, action) VALUES (?, ?, '[]', ?)");
    for (let i = 3; i < 2003; i++) insert.run(entry!.id, i, i % 500 === 0 ? 'error' : 'create');
    db.$client.exec('ANALYZE');
    const plan = (sql: string, params: unknown[]) =>
      (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    const errors = plan(rowsOfSql('error'), [entry!.id, 50, 0]);
    expect(errors).to.match(/SEARCH import_rows USING (COVERING )?INDEX import_rows_error_idx/);
    expect(errors).not.to.match(/TEMP B-TREE/);
    const created = plan(rowsOfSql('create'), [entry!.id, 'create', 50, 0]);
    expect(created).to.match(/SEARCH import_rows USING (INDEX sqlite_autoindex_import_rows_1|PRIMARY KEY)/);
    expect(created).not.to.match(/TEMP B-TREE/);
    // an undo walks the import's audited changes back, newest first, 1,000 at a time
    const changes = plan(CHANGES_SQL, [entry!.id, 1_000_000]);
    expect(changes).to.match(/SEARCH audit_log USING INDEX audit_import_idx \(import_id=\? AND rowid<\?\)/);
    expect(changes).not.to.match(/TEMP B-TREE/);
  });
});
