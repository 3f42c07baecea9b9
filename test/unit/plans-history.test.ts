import { expect } from 'chai';
import {
  ENTITY_COUNT_SQL,
  ENTITY_PAGE_SQL,
  ENTRIES_SQL,
  ENTRY_COUNT_SQL,
  ENTRY_ROWS_SQL,
} from '../../server/audit/audit.queries.ts';
import { buildDb, buildUser } from '../support/app.ts';

/**
 * A pairing's history tab reads the pairing's rows of the log along audit_pairing_idx (a few
 * hundred of a log of millions) and groups them there; an import's rows under the pairing are a
 * range of that index. None of them scans the log.
 */
describe('query plans of a pairing’s history', () => {
  it('when a pairing’s history is paged and an import’s rows opened, then audit_pairing_idx finds them', async () => {
    const db = buildDb();
    const user = await buildUser(db);
    // the country's offices and liaisons: a few hundred accounts
    const account = db.$client.prepare(
      "INSERT INTO users (username, display_name, password_hash, role) VALUES (?, ?, 'x', 'staff')",
    );
    for (let i = 0; i < 300; i++) account.run(`u${i}`, `用户 ${i}`);
    const insert = db.$client.prepare(
      "INSERT INTO audit_log (actor_id, action, entity, entity_id, pairing_id, import_id) VALUES (?, 'update', 'record.funds', ?, ?, ?)",
    );
    // 200 pairings, each with a few hand edits and an import's rows
    for (let p = 1; p <= 200; p++)
      for (let i = 0; i < 30; i++) insert.run(user.id, String(p * 100 + i), p, i < 10 ? null : 1 + (p % 7));
    db.$client.exec('ANALYZE');
    const plan = (sql: string, params: unknown[]) =>
      (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

    const entries = plan(ENTRIES_SQL, [5, 25, 0]);
    expect(entries).to.match(/SEARCH audit_log USING INDEX audit_pairing_idx \(pairing_id=\?\)/);
    expect(entries).not.to.match(/SCAN audit_log/);
    expect(plan(ENTRY_COUNT_SQL, [5])).to.match(/SEARCH audit_log USING INDEX audit_pairing_idx \(pairing_id=\?\)/);
    const rows = plan(ENTRY_ROWS_SQL, [5, 1, 1000, 6, 20]);
    expect(rows).to.match(/SEARCH a USING INDEX audit_pairing_idx \(pairing_id=\? AND (row)?id>\? AND (row)?id<\?\)/);
    expect(rows).to.match(/SEARCH u USING (INTEGER PRIMARY KEY|COVERING INDEX)/);
    expect(rows).not.to.match(/SCAN|TEMP B-TREE/);

    // one thing's history (a record, an agreement, a user), newest first, a page at a time
    const page = plan(ENTITY_PAGE_SQL, ['record.funds', '520', 25, 0]);
    expect(page).to.match(/SEARCH a USING INDEX audit_entity_idx \(entity=\? AND entity_id=\?\)/);
    expect(page).not.to.match(/SCAN|TEMP B-TREE/);
    expect(plan(ENTITY_COUNT_SQL, ['record.funds', '520'])).to.match(/SEARCH audit_log USING COVERING INDEX audit_entity_idx/);
  });
});
