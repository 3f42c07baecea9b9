import { expect } from 'chai';
import { insertNotification, LIST_SQL, UNREAD_SQL } from '../../server/notifications/notifications.queries.ts';
import { buildDb, buildUser } from '../support/app.ts';

/**
 * The header shows the unread count on every page (13,000 pairings, 600,000 records at national
 * scale): one search of the partial index of unread rows, never a scan. The list walks the
 * user's index newest first without sorting; a submitted report's reminders are found by index.
 */
describe('query plans of notifications', () => {
  it('when a page asks for the unread count and the list, then indexes answer (no scan, no sort)', async () => {
    const db = buildDb();
    const users = [await buildUser(db), await buildUser(db), await buildUser(db)];
    for (let i = 0; i < 60; i++)
      insertNotification(db, '2024-12-13', {
        userId: users[i % 3]!.id,
        kind: 'edits',
        key: `edits:${i}`,
        pairingId: i,
        link: `/pairings/${i}`,
        params: { pairing: '姑苏区 → 新城区', n: 1 },
      });
    const plan = (sql: string, params: unknown[]) =>
      (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan(UNREAD_SQL, [users[0]!.id])).to.match(
      /^SEARCH notifications USING COVERING INDEX notifications_unread_idx \(user_id=\? AND read_at=\?\)$/,
    );
    const list = plan(LIST_SQL, [users[0]!.id, 50, 0]);
    expect(list).to.match(/^SEARCH notifications USING INDEX notifications_user_idx \(user_id=\?\)$/);
    expect(list).not.to.match(/TEMP B-TREE/);
    const submitted = plan(
      "DELETE FROM notifications WHERE pairing_id = ? AND year = ? AND side = ? AND kind IN ('deadline7', 'deadline1')",
      [1, 2024, 'assisting'],
    );
    expect(submitted).to.match(
      /SEARCH notifications USING INDEX notifications_report_idx \(pairing_id=\? AND year=\? AND side=\?\)/,
    );
  });
});
