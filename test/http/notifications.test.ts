import { expect } from 'chai';
import type { Agent } from 'supertest';
import type { Db } from '../../db/client.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { runDailyDigest } from '../../server/notifications/notifications.service.ts';
import { returnReport, setDeadline, submitReport } from '../../server/reports/reports.service.ts';
import { createRecord, updateRecord } from '../../server/records/records.service.ts';
import { openRound } from '../../server/assessment/assessment.rounds.ts';
import { createFramework } from '../../server/assessment/assessment.service.ts';
import { buildApp, buildUser, csrfOf, loginAs } from '../support/app.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';
import { textOf } from '../support/imports.ts';

/**
 * Reminders (issue 11, item 3): once a day the digest tells each office what concerns it — its
 * report's deadline in 7 and 1 days while unsubmitted, a report returned, the partner's changes to
 * a pairing's records (one item per pairing, however many edits) — in the header's count and the
 * list. Nobody hears of a pairing outside its region. The county pair is 姑苏区 → 新城区.
 */
async function world() {
  const { app, db } = buildApp();
  const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
  // 广东 → 贵州: another province's pair, which 江苏's and 陕西's offices never hear of
  const other = buildPairing(db, { level: 'county', assistingCode: '440104', assistedCode: '520602' });
  const users = {
    gusu: await buildUser(db, { username: 'office.gusu', regionCode: '320508' }),
    jiangsu: await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }),
    shaanxi: await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' }),
    xincheng: await buildUser(db, { username: 'liaison.xincheng', role: 'liaison', regionCode: '610102' }),
    guangdong: await buildUser(db, { username: 'office.guangdong', regionCode: '440000' }),
    guizhou: await buildUser(db, { username: 'office.guizhou', regionCode: '520000' }),
  };
  const actor = (u: { id: number; regionCode: string | null }, scope: string): Actor => ({ id: u.id, role: 'staff', scope });
  return { app, db, county, other, users, actor };
}

/** The labels of the user's notifications, newest first, as its list shows them. */
async function listed(agent: Agent): Promise<string[]> {
  const html = (await agent.get('/notifications')).text;
  return [...html.matchAll(/<li class="card[^"]*" data-id="\d+">[\s\S]*?<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) =>
    textOf(m[1]!).trim(),
  );
}

/** The unread count the header shows (0 when it shows none). */
async function badge(agent: Agent, page = '/pairings'): Promise<number> {
  const html = (await agent.get(page)).text;
  return Number(/data-unread="(\d+)"/.exec(html)?.[1] ?? 0);
}

const at = (iso: string) => new Date(`${iso}T02:00:00Z`); // 10:00 in China

async function digest(db: Db, day: string) {
  return runDailyDigest(db, at(day));
}

describe('reminders: the daily digest and the notification list', () => {
  it('when a deadline is 7 days away, then the side’s office is reminded; when it submits, its reminder disappears (the partner’s stays)', async () => {
    const w = await world();
    setDeadline(w.db, SYSTEM, 2024, '2024-12-20');
    await digest(w.db, '2024-12-12'); // 8 days: nothing yet
    const gusu = await loginAs(w.app, w.users.gusu);
    const shaanxi = await loginAs(w.app, w.users.shaanxi);
    expect(await listed(gusu)).to.deep.equal([]);

    await digest(w.db, '2024-12-13');
    const items = await listed(gusu);
    expect(items).to.have.length(1);
    expect(items[0])
      .to.include('姑苏区 → 新城区')
      .and.include('帮扶方 2024 年度数据尚未报送')
      .and.include('2024-12-20')
      .and.include('还有 7 天');
    expect(await badge(gusu)).to.equal(1);
    expect((await listed(shaanxi))[0]).to.include('受援方 2024 年度数据尚未报送');

    // the county office submits through the pairing page's step
    const url = `/pairings/${w.county.id}/reports/2024/assisting/submit`;
    const page = await gusu.get(url);
    const once = /name="_once" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(
      (
        await gusu
          .post(url)
          .type('form')
          .send({ _csrf: csrfOf(page.text), _once: once })
      ).status,
    ).to.equal(303);
    expect(await listed(gusu)).to.deep.equal([]);
    expect(await badge(gusu)).to.equal(0);
    expect(await listed(shaanxi)).to.have.length(1);

    // the day before the deadline: the side still open is reminded again, the submitted one is not
    await digest(w.db, '2024-12-19');
    expect(await listed(gusu)).to.deep.equal([]);
    const again = await listed(shaanxi);
    expect(again).to.have.length(2);
    expect(again[0]).to.include('2024-12-20 即将截止');
  });

  it('when 江苏 returns the county’s report, then the county office is told with the reason; the returner, the partner and another province are not', async () => {
    const w = await world();
    submitReport(w.db, w.actor(w.users.gusu, '320508'), w.county.id, 2024, 'assisting');
    returnReport(w.db, w.actor(w.users.jiangsu, '32'), w.county.id, 2024, 'assisting', '资金用途写得不清楚');
    await digest(w.db, '2024-12-13');
    const gusu = await listed(await loginAs(w.app, w.users.gusu));
    expect(gusu).to.have.length(1);
    expect(gusu[0]).to.include('姑苏区 → 新城区').and.include('2024 年度报送被退回').and.include('资金用途写得不清楚');
    for (const who of ['jiangsu', 'shaanxi', 'xincheng', 'guangdong'] as const) {
      const items = await listed(await loginAs(w.app, w.users[who]));
      expect(
        items.filter((i) => i.includes('退回')),
        who,
      ).to.deep.equal([]);
    }
  });

  it('when the partner changes three records in a day, then the other side gets one item for the pairing, once (a second run that day adds nothing)', async () => {
    const w = await world();
    buildRecord(w.db, 'funds', w.county.id, { ref: 'OLD-1' });
    await digest(w.db, '2024-12-12'); // reads the log up to here
    const gusuActor = w.actor(w.users.gusu, '320508');
    const fund = {
      year: 2024,
      date: '2024-05-01',
      kind: 'fiscal',
      form: 'money',
      committedFen: 100_00,
      disbursedFen: 0,
      purpose: '产业发展',
    };
    const first = createRecord(w.db, gusuActor, 'funds', w.county.id, fund as never);
    buildRecord(w.db, 'talents', w.county.id);
    buildRecord(w.db, 'consumption', w.county.id);
    updateRecord(w.db, gusuActor, 'funds', first.id, { ...fund, purpose: '改过', version: 1 } as never);
    // 广东's side changes its own pair's records: only 贵州 hears of it
    buildRecord(w.db, 'projects', w.other.id, { locationCode: '520602' });

    const run = await digest(w.db, '2024-12-13');
    const twice = await digest(w.db, '2024-12-13');
    expect(twice.ran).to.equal(false);
    expect(twice.created).to.equal(0);
    expect(run.created).to.be.greaterThan(0);

    // newest first: the day's one item for the pairing, then the day before's (the record entered before it)
    for (const who of ['shaanxi', 'xincheng'] as const)
      expect(await listed(await loginAs(w.app, w.users[who])), who).to.deep.equal([
        '姑苏区 → 新城区：对方修改了 3 条记录',
        '姑苏区 → 新城区：对方修改了 1 条记录',
      ]);
    // the side that made the changes is not told of them; another province hears nothing of this pair
    expect(await listed(await loginAs(w.app, w.users.gusu))).to.deep.equal([]);
    expect(await listed(await loginAs(w.app, w.users.guangdong))).to.deep.equal([]);
    const guizhou = await listed(await loginAs(w.app, w.users.guizhou));
    expect(guizhou).to.have.length(1);
    expect(guizhou[0]).to.include('越秀区 → 碧江区：对方修改了 1 条记录');
  });

  it('when a transfer waits for confirmation more than 14 days, then the confirming side’s office is told, once', async () => {
    const w = await world();
    const fund = buildRecord(w.db, 'funds', w.county.id, { ref: 'T-1' });
    const now = Date.now();
    await runDailyDigest(w.db, new Date(now + 13 * 86_400_000));
    const shaanxi = await loginAs(w.app, w.users.shaanxi);
    expect((await listed(shaanxi)).filter((i) => i.includes('等待确认'))).to.deep.equal([]);
    await runDailyDigest(w.db, new Date(now + 15 * 86_400_000));
    await runDailyDigest(w.db, new Date(now + 16 * 86_400_000));
    const waiting = (await listed(shaanxi)).filter((i) => i.includes('等待确认'));
    expect(waiting).to.have.length(1);
    expect(waiting[0]).to.include('姑苏区 → 新城区').and.include('产业发展').and.include('1.00 万元');
    expect((await listed(await loginAs(w.app, w.users.gusu))).filter((i) => i.includes('等待确认'))).to.deep.equal([]);
    expect(fund.id).to.be.a('number');
  });

  it('when the year’s assessment round opens, then evaluators and offices are told of the new stage', async () => {
    const w = await world();
    await digest(w.db, '2024-12-12');
    const evaluator = await buildUser(w.db, { username: 'eva', role: 'evaluator' });
    createFramework(w.db, SYSTEM, 2024, [evaluator.id]);
    openRound(w.db, SYSTEM, 2024);
    await digest(w.db, '2024-12-13');
    expect(await listed(await loginAs(w.app, evaluator))).to.deep.equal(['2024 年度考核进入“自评”阶段']);
    expect(await listed(await loginAs(w.app, w.users.gusu))).to.include('2024 年度考核进入“自评”阶段');
  });

  it('when the user opens an item, then it is marked read and leads to its page; "mark all read" clears the header’s count', async () => {
    const w = await world();
    setDeadline(w.db, SYSTEM, 2024, '2024-12-20');
    submitReport(w.db, w.actor(w.users.gusu, '320508'), w.county.id, 2023, 'assisting');
    returnReport(w.db, SYSTEM, w.county.id, 2023, 'assisting', '请补充附件');
    await digest(w.db, '2024-12-13');
    const gusu = await loginAs(w.app, w.users.gusu);
    expect(await badge(gusu)).to.equal(2);
    expect(await badge(gusu, '/notifications')).to.equal(2);
    const html = (await gusu.get('/notifications')).text;
    expect(textOf(html)).to.include('未读');
    const id = /data-id="(\d+)"/.exec(html)![1]!;
    const opened = await gusu
      .post(`/notifications/${id}/open`)
      .type('form')
      .send({ _csrf: csrfOf(html) });
    expect(opened.status).to.equal(303);
    expect(opened.headers.location).to.equal(`/pairings/${w.county.id}?year=2023#reports`);
    expect(await badge(gusu)).to.equal(1);
    const after = (await gusu.get('/notifications')).text;
    expect(after).to.match(new RegExp(`<li class="card" data-id="${id}">`));
    const all = await gusu
      .post('/notifications/read-all')
      .type('form')
      .send({ _csrf: csrfOf(after) });
    expect(all.status).to.equal(303);
    expect(await badge(gusu)).to.equal(0);
    expect(textOf((await gusu.get('/notifications')).text)).not.to.include('全部标为已读');
  });

  it('when 江苏’s office stands above many pairings with no office of their own, then it gets one summary, not an item each', async () => {
    const w = await world();
    const east = ['320102', '320104', '320105', '320106', '320111', '320113', '320114', '320115', '320116', '320117', '320118'];
    const west = ['610103', '610104', '610111', '610112', '610113', '610114', '610115', '610116', '610117', '610118', '610122'];
    east.forEach((code, i) => buildPairing(w.db, { level: 'county', assistingCode: code, assistedCode: west[i]! }));
    setDeadline(w.db, SYSTEM, 2024, '2024-12-20');
    await digest(w.db, '2024-12-13');
    // 姑苏区 has its own office: 江苏's is not told of it, only of the 11 others, in one line
    const jiangsu = await loginAs(w.app, w.users.jiangsu);
    expect(await listed(jiangsu)).to.deep.equal(['11 个结对方的 2024 年度数据尚未报送，将于 2024-12-20 截止（还有 7 天）']);
    expect(await listed(await loginAs(w.app, w.users.gusu))).to.have.length(1);
    // 陕西's office is the nearest office of all 12 assisted sides
    expect(await listed(await loginAs(w.app, w.users.shaanxi))).to.deep.equal([
      '12 个结对方的 2024 年度数据尚未报送，将于 2024-12-20 截止（还有 7 天）',
    ]);
    // the next day adds no second summary of the same deadline
    await digest(w.db, '2024-12-14');
    expect(await listed(jiangsu)).to.have.length(1);
  });

  it('when the user has no notifications, then the list says so', async () => {
    const w = await world();
    const page = await (await loginAs(w.app, w.users.guangdong)).get('/notifications');
    expect(page.status).to.equal(200);
    expect(textOf(page.text)).to.include('暂无提醒');
  });
});
