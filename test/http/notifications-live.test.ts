import { expect } from 'chai';
import type { Agent } from 'supertest';
import type { Db } from '../../db/client.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { recentNotifications, runDailyDigest } from '../../server/notifications/notifications.service.ts';
import { returnReport, setDeadline, submitReport } from '../../server/reports/reports.service.ts';
import { updateUser } from '../../server/users/users.service.ts';
import { buildApp, buildUser, csrfOf, loginAs } from '../support/app.ts';
import { buildPairing } from '../support/factories.ts';
import { textOf } from '../support/imports.ts';

/**
 * Reminders as they stand now (issue 11 review): a deadline summary counts the sides still open
 * when it is shown and goes once none is; a returned report reaches its submitter only while the
 * submitter still writes for that side; "mark all read" with nothing unread leaves no audit row.
 */
const EAST = ['320102', '320104', '320105', '320106', '320111', '320113', '320114', '320115', '320116', '320117', '320118'];
const WEST = ['610103', '610104', '610111', '610112', '610113', '610114', '610115', '610116', '610117', '610118', '610122'];

async function listed(agent: Agent): Promise<string[]> {
  const html = (await agent.get('/notifications')).text;
  return [...html.matchAll(/<li class="card[^"]*" data-id="\d+">[\s\S]*?<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) =>
    textOf(m[1]!).trim(),
  );
}

async function badge(agent: Agent, page = '/pairings'): Promise<number> {
  const html = (await agent.get(page)).text;
  return Number(/data-unread="(\d+)"/.exec(html)?.[1] ?? 0);
}

const at = (iso: string) => new Date(`${iso}T02:00:00Z`); // 10:00 in China
const digest = (db: Db, day: string) => runDailyDigest(db, at(day));
const staff = (id: number, scope: string): Actor => ({ id, role: 'staff', scope });

describe('reminders as they stand now', () => {
  it('when 江苏’s office submits the sides of its deadline summary, then the summary counts those left and goes with the last', async () => {
    const { app, db } = buildApp();
    // 姑苏区 has an office of its own: 江苏's summary is of the 11 others, and stays of them
    buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    await buildUser(db, { username: 'office.gusu', regionCode: '320508' });
    const ids = EAST.map((code, i) => buildPairing(db, { level: 'county', assistingCode: code, assistedCode: WEST[i]! }).id);
    const user = await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' });
    setDeadline(db, SYSTEM, 2024, '2024-12-20');
    await digest(db, '2024-12-13');
    const jiangsu = await loginAs(app, user);
    expect(await listed(jiangsu)).to.deep.equal(['11 个结对方的 2024 年度数据尚未报送，将于 2024-12-20 截止（还有 7 天）']);

    for (const id of ids.slice(0, 9)) submitReport(db, staff(user.id, '32'), id, 2024, 'assisting');
    expect(await listed(jiangsu)).to.deep.equal(['2 个结对方的 2024 年度数据尚未报送，将于 2024-12-20 截止（还有 7 天）']);
    expect(recentNotifications(db, user.id, 5).map((n) => n.label)).to.deep.equal([
      '2 个结对方的 2024 年度数据尚未报送，将于 2024-12-20 截止（还有 7 天）',
    ]);

    for (const id of ids.slice(9)) submitReport(db, staff(user.id, '32'), id, 2024, 'assisting');
    expect(await listed(jiangsu)).to.deep.equal([]);
    expect(recentNotifications(db, user.id, 5)).to.deep.equal([]);
    // the list's own header counts it no more; other pages' one index search does until the next digest
    expect(await badge(jiangsu, '/notifications')).to.equal(0);
    expect(await badge(jiangsu)).to.equal(1);
    await digest(db, '2024-12-14');
    expect(await badge(jiangsu)).to.equal(0);
  });

  it('when the submitter has moved region or role, then a returned report is told to the side’s office, not to it', async () => {
    const { db } = buildApp();
    const admin = await buildUser(db, { username: 'root', role: 'admin' });
    const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const other = buildPairing(db, { level: 'county', assistingCode: '320505', assistedCode: '610103' });
    const office = await buildUser(db, { username: 'office.suzhou', regionCode: '320500' });
    const moved = await buildUser(db, { username: 'office.gusu', regionCode: '320508' });
    const demoted = await buildUser(db, { username: 'office.huqiu', regionCode: '320505' });
    submitReport(db, staff(moved.id, '320508'), county.id, 2024, 'assisting');
    submitReport(db, staff(demoted.id, '320505'), other.id, 2024, 'assisting');
    await digest(db, '2024-12-12');
    updateUser(db, admin.id, moved.id, { displayName: '广州', role: 'staff', regionCode: '440100', version: 1 }, new Date());
    updateUser(db, admin.id, demoted.id, { displayName: '虎丘', role: 'liaison', regionCode: '320505', version: 1 }, new Date());
    returnReport(db, SYSTEM, county.id, 2024, 'assisting', '资金用途写得不清楚');
    returnReport(db, SYSTEM, other.id, 2024, 'assisting', '请补充附件');
    await digest(db, '2024-12-13');
    const returned = (userId: number) =>
      recentNotifications(db, userId, 10)
        .map((n) => n.label)
        .filter((l) => l.includes('退回'));
    expect(returned(moved.id)).to.deep.equal([]);
    expect(returned(demoted.id)).to.deep.equal([]);
    // nobody nearer writes for those sides now: 苏州's office hears of both
    expect(returned(office.id)).to.have.length(2);
  });

  it('when the user marks all read with nothing unread, then no audit row is written', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db, { username: 'office.gusu', regionCode: '320508' });
    const agent = await loginAs(app, user);
    const page = await agent.get('/notifications');
    const res = await agent
      .post('/notifications/read-all')
      .type('form')
      .send({ _csrf: csrfOf(page.text) });
    expect(res.status).to.equal(303);
    const audited = db.$client.prepare("SELECT count(*) FROM audit_log WHERE action = 'read-all'").pluck().get();
    expect(audited).to.equal(0);
  });
});
