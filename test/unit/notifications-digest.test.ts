import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createDb, migrateDb, type Db } from '../../db/client.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { commitDigest, planDigest, runDailyDigest } from '../../server/notifications/notifications.digest.ts';
import {
  IN_FORCE_OF_SQL,
  insertNotification,
  LIST_EXCEPT_SQL,
  SUMMARIES_SQL,
} from '../../server/notifications/notifications.queries.ts';
import { loadRegionTree } from '../../server/regions/regions.loader.ts';
import { setDeadline, submitReport } from '../../server/reports/reports.service.ts';
import { buildDb, buildUser } from '../support/app.ts';
import { buildPairing } from '../support/factories.ts';

/**
 * The digest reads the whole country: it does so without the write lock, then claims the day and
 * adds its items in one short immediate transaction. The claim decides between two processes; a
 * report submitted between the reading and the claim brings no reminder of it.
 */
const at = (iso: string) => new Date(`${iso}T02:00:00Z`); // 10:00 in China
const count = (db: Db) => db.$client.prepare('SELECT count(*) FROM notifications').pluck().get() as number;

async function world(db: Db) {
  const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
  const gusu = await buildUser(db, { username: 'office.gusu', regionCode: '320508' });
  await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' });
  setDeadline(db, SYSTEM, 2024, '2024-12-20');
  return { county, gusu };
}

describe('the daily digest’s transaction', () => {
  it('when the digest runs, then it reads users, deadlines, reports and the log outside any write transaction, and writes inside one', async () => {
    const db = buildDb();
    await world(db);
    const seen: { sql: string; inTransaction: boolean }[] = [];
    const prepare = db.$client.prepare.bind(db.$client);
    db.$client.prepare = ((source: string) => {
      seen.push({ sql: source, inTransaction: db.$client.inTransaction });
      return prepare(source);
    }) as typeof db.$client.prepare;
    const run = await runDailyDigest(db, at('2024-12-13'));
    expect(run.created).to.equal(2);
    const reads = seen.filter((s) => /FROM (users u|report_deadlines|pairings p|audit_log|funds)\b/.test(s.sql));
    expect(reads.length).to.be.greaterThan(3);
    expect(reads.filter((s) => s.inTransaction).map((s) => s.sql)).to.deep.equal([]);
    const writes = seen.filter((s) => /^\s*(INSERT|UPDATE|DELETE)/.test(s.sql));
    expect(writes.length).to.be.greaterThan(0);
    expect(writes.every((s) => s.inTransaction)).to.equal(true);
  });

  it('when two processes run the same day’s digest at once, then the one that claims the day adds its items and the other nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notif-race-'));
    try {
      const path = join(dir, 'race.db');
      const a = createDb(path);
      migrateDb(a);
      loadRegionTree(a);
      await world(a);
      const b = createDb(path);
      const plan = planDigest(a, at('2024-12-13')); // A has read; B reads, claims and adds meanwhile
      const other = await runDailyDigest(b, at('2024-12-13'));
      expect(other.created).to.equal(2);
      expect(commitDigest(a, plan)).to.equal(undefined);
      expect(count(a)).to.equal(2);
      expect((await runDailyDigest(a, at('2024-12-13'))).ran).to.equal(false);
      expect(count(a)).to.equal(2);
      a.$client.close();
      b.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when a side submits between the reading and the claim, then its reminder is not added (the partner’s is)', async () => {
    const db = buildDb();
    const w = await world(db);
    const plan = planDigest(db, at('2024-12-13'));
    expect(plan.items).to.have.length(2);
    submitReport(db, { id: w.gusu.id, role: 'staff', scope: '320508' }, w.county.id, 2024, 'assisting');
    const made = commitDigest(db, plan);
    expect(made).to.deep.include({ created: 1 });
    const sides = db.$client.prepare('SELECT side FROM notifications').pluck().all();
    expect(sides).to.deep.equal(['assisted']);
  });

  it('when the list leaves out summaries and the digest checks them, then indexes answer', async () => {
    const db = buildDb();
    const user = await buildUser(db);
    for (let i = 0; i < 30; i++)
      insertNotification(db, '2024-12-13', {
        userId: user.id,
        kind: 'deadline7',
        key: `deadline7:${i}`,
        pairingId: i,
        year: 2024,
        side: 'assisting',
        link: `/pairings/${i}`,
        params: { pairing: '姑苏区 → 新城区', n: 1 },
      });
    const plan = (sql: string, params: unknown[]) =>
      (db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan(SUMMARIES_SQL, [user.id])).to.match(/^SEARCH notifications USING INDEX notifications_user_idx \(user_id=\?\)$/);
    const except = plan(LIST_EXCEPT_SQL, [user.id, '[1,2]', 50, 0]);
    expect(except).to.match(/^SEARCH notifications USING INDEX notifications_user_idx \(user_id=\?\)/);
    expect(except).not.to.match(/TEMP B-TREE|SCAN notifications/);
    const inForce = plan(IN_FORCE_OF_SQL, ['[1,2]', 2024, 2024]);
    expect(inForce).to.match(/SEARCH pairings USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(inForce).not.to.match(/SCAN pairings/);
  });
});
