import { expect } from 'chai';
import type { Db } from '../../db/client.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { advanceRound, getRound, submitInput } from '../../server/assessment/assessment.rounds.ts';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { createRecord } from '../../server/records/records.service.ts';
import { setDeadline, submitReport } from '../../server/reports/reports.service.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { textOf } from '../support/imports.ts';

/**
 * Each role's first screen, on a small world seen on 1 July 2024 (half the year gone):
 * 江苏 → 陕西 with two county pairs below it, 姑苏区 → 新城区 (agreed 40,000 元 of fiscal funds,
 * 10,000 sent: 25%, behind the pro-rata half) and 昆山市 → 碑林区 (agreed 10,000, sent 10,000:
 * met), and 广东 → 贵州, which no one of 江苏 or 陕西 may see. Every number is checked with the
 * list its link opens.
 */
// 10:00 in Beijing
const JULY = new Date('2024-07-01T02:00:00Z');

async function world() {
  const { app, db } = buildApp(undefined, {}, () => JULY);
  const province = buildPairing(db);
  const gusu = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
  const kunshan = buildPairing(db, { level: 'county', assistingCode: '320583', assistedCode: '610103' });
  // a pair-up below 姑苏's pair: it counts in 姑苏's measures and files no report of its own
  buildPairing(db, {
    level: 'pairup',
    pairupKind: 'enterprise_village',
    parentId: gusu.id,
    assistingCode: '320508',
    assistingUnit: '苏州某企业',
    assistedCode: '610102',
    assistedUnit: '某村',
    startYear: 2022,
  });
  const guangdong = buildPairing(db, { assistingCode: '440000', assistedCode: '520000' });
  const gz = buildPairing(db, { level: 'county', assistingCode: '440104', assistedCode: '520602' });
  saveAgreement(db, SYSTEM, gusu.id, 2024, { version: 0, fiscalFundsFen: 4_000_000 });
  saveAgreement(db, SYSTEM, kunshan.id, 2024, { version: 0, fiscalFundsFen: 1_000_000 });
  buildRecord(db, 'funds', gusu.id);
  buildRecord(db, 'funds', kunshan.id);
  buildRecord(db, 'funds', gz.id);
  const users = {
    jiangsu: await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }),
    gusuOffice: await buildUser(db, { username: 'office.gusu', regionCode: '320508' }),
    shaanxi: await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' }),
    liaison: await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' }),
    admin: await buildUser(db, { username: 'admin.root', role: 'admin' }),
  };
  return { app, db, province, gusu, kunshan, guangdong, users };
}

const staffActor = (u: { id: number; regionCode: string | null }, scope: string): Actor => ({ id: u.id, role: 'staff', scope });

const unescape = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The number shown in a home page tile whose link is `href`. */
function tile(html: string, href: string): string {
  for (const m of html.matchAll(/<a class="tile[^"]*" href="([^"]+)"><b>([^<]+)<\/b>/g))
    if (unescape(m[1]!) === href) return m[2]!;
  return 'missing';
}

/** The pairing names in the board's rows. */
const boardNames = (html: string) =>
  [
    ...(/<table class="list cards board-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '').matchAll(
      /<tr[^>]*>\s*<td data-label[^>]*>([\s\S]*?)<\/td>/g,
    ),
  ].map((m) => textOf(m[1]!));

function unconfirmedIn(db: Db, prefix: string): number {
  return db.$client
    .prepare(
      `SELECT count(*) FROM funds f JOIN pairings p ON p.id = f.pairing_id WHERE f.year = 2024 AND f.deleted_at IS NULL
       AND f.confirmation = 'unconfirmed' AND (p.assisting_code LIKE ? OR p.assisted_code LIKE ?)`,
    )
    .pluck()
    .get(`${prefix}%`, `${prefix}%`) as number;
}

describe('home pages by role', () => {
  it("when 江苏's office opens its home page, then each number counts its scope and its link lists exactly those pairings", async () => {
    const w = await world();
    setDeadline(w.db, SYSTEM, 2024, '2024-07-31');
    submitReport(w.db, staffActor(w.users.gusuOffice, '320508'), w.gusu.id, 2024, 'assisting', JULY);
    const office = await loginAs(w.app, w.users.jiangsu);
    const home = await office.get('/');
    expect(home.status).to.equal(200);
    const text = textOf(home.text);
    expect(text).to.include('2024 年度报送截止日期 2024-07-31，还有 30 天');

    // three pairings in scope, 姑苏's report submitted: two still open (the province pair and 昆山)
    expect(tile(home.text, '?year=2024&show=open#board')).to.equal('2');
    const open = await office.get('/?year=2024&show=open');
    expect(boardNames(open.text)).to.have.length(2);
    expect(boardNames(open.text).join(' ')).to.include('昆山市').and.not.include('姑苏区');

    // 姑苏 is behind (25% of its target on 1 July), 昆山 has met it
    expect(tile(home.text, '?year=2024&show=behind#board')).to.equal('1');
    const behind = await office.get('/?year=2024&show=behind');
    const names = boardNames(behind.text);
    expect(names).to.have.length(1);
    expect(names[0]).to.include('姑苏区');
    expect(textOf(behind.text)).to.include('25%').and.include('落后');

    // transfers awaiting confirmation: the count is the list's count; 广东's is not in it
    const unconfirmed = unconfirmedIn(w.db, '32');
    expect(unconfirmed).to.equal(2);
    expect(tile(home.text, '/records/funds?confirmation=unconfirmed&year=2024')).to.equal(String(unconfirmed));
    const list = await office.get('/records/funds?confirmation=unconfirmed&year=2024');
    expect(textOf(list.text)).to.include(`共 ${unconfirmed} 条`);

    // the whole board: every pairing of 江苏, none of 广东
    expect(tile(home.text, '?year=2024&show=noAgreement#board')).to.equal('1');
    const all = await office.get('/?year=2024&show=all');
    expect(boardNames(all.text)).to.have.length(3);
    expect(textOf(all.text)).not.to.include('广东省');
  });

  it("when 陕西's office adds a record to 姑苏's pair, then 江苏 sees it as changed since its last visit once, and its own changes never", async () => {
    const w = await world();
    const office = await loginAs(w.app, w.users.jiangsu);
    const first = await office.get('/');
    expect(tile(first.text, '/changes?after=' + /href="\/changes\?after=(\d+)"/.exec(first.text)![1])).to.equal('0');

    createRecord(w.db, staffActor(w.users.shaanxi, '61'), 'consumption', w.gusu.id, {
      year: 2024,
      date: '2024-06-01',
      amountFen: 500_000,
      products: '红枣',
      side: 'assisted',
    } as never);
    createRecord(w.db, staffActor(w.users.jiangsu, '32'), 'consumption', w.gusu.id, {
      year: 2024,
      date: '2024-06-02',
      amountFen: 300_000,
      products: '茶叶',
    } as never);

    const second = await office.get('/');
    const after = /href="\/changes\?after=(\d+)"/.exec(second.text)![1]!;
    expect(tile(second.text, `/changes?after=${after}`)).to.equal('1');
    const listed = textOf(/<section class="card" id="changes"[\s\S]*?<\/section>/.exec(second.text)![0]);
    expect(listed).to.include('测试 office.shaanxi').and.include('消费帮扶');
    expect(listed).not.to.include('测试 office.jiangsu');
    // the list behind the number holds the same change
    const changes = await office.get(`/changes?after=${after}`);
    expect(textOf(changes.text)).to.include('测试 office.shaanxi');

    const third = await office.get('/');
    expect(tile(third.text, '/changes?after=' + /href="\/changes\?after=(\d+)"/.exec(third.text)![1])).to.equal('0');
  });

  it("when 江苏's province office edits 姑苏's own records, then 姑苏's county office does not count it as the partner's", async () => {
    const w = await world();
    const gusu = await loginAs(w.app, w.users.gusuOffice);
    const mark = async () => /href="\/changes\?after=(\d+)"/.exec((await gusu.get('/')).text)![1]!;
    await mark();
    const consumption = (products: string, side?: 'assisted') =>
      ({ year: 2024, date: '2024-06-01', amountFen: 100_000, products, ...(side ? { side } : {}) }) as never;
    // the level above, on 姑苏's own side
    createRecord(w.db, staffActor(w.users.jiangsu, '32'), 'consumption', w.gusu.id, consumption('茶叶'));
    const after = await gusu.get('/');
    expect(tile(after.text, `/changes?after=${/href="\/changes\?after=(\d+)"/.exec(after.text)![1]}`)).to.equal('0');
    // the partner side
    createRecord(w.db, staffActor(w.users.shaanxi, '61'), 'consumption', w.gusu.id, consumption('红枣', 'assisted'));
    const partner = await gusu.get('/');
    expect(tile(partner.text, `/changes?after=${/href="\/changes\?after=(\d+)"/.exec(partner.text)![1]}`)).to.equal('1');
  });

  it("when 陕西's liaison opens its home page, then it sees its pairs' totals this year, last year and against the target, and nothing of 广东", async () => {
    const w = await world();
    saveAgreement(w.db, SYSTEM, w.province.id, 2024, { version: 0, fiscalFundsFen: 5_000_000 });
    buildRecord(w.db, 'funds', w.gusu.id, { year: 2023, date: '2023-05-01', disbursedOn: '2023-05-02', disbursedFen: 700_000 });
    const liaison = await loginAs(w.app, w.users.liaison);
    const home = await liaison.get('/');
    const row = textOf(/<tr>\s*<th scope="row"[^>]*>财政援助资金[\s\S]*?<\/tr>/.exec(home.text)?.[0] ?? '');
    // 2024: 10,000 + 10,000 元 sent (2.00 万元) of 50,000 agreed (5.00 万元): 40%; 2023: 7,000 元
    expect(row).to.include('2.00').and.include('0.70').and.include('5.00').and.include('40%');
    expect(textOf(home.text)).not.to.include('广东省');
  });

  it('when the deadline has passed, then the admin sees the sides not submitted by province, each linking to its board', async () => {
    const w = await world();
    setDeadline(w.db, SYSTEM, 2024, '2024-06-30');
    setDeadline(w.db, SYSTEM, 2025, '2025-01-20');
    submitReport(w.db, staffActor(w.users.gusuOffice, '320508'), w.gusu.id, 2024, 'assisting', JULY);
    const admin = await loginAs(w.app, w.users.admin);
    const home = await admin.get('/');
    const text = textOf(home.text);
    expect(text).to.include('2024 年度报送截止日期 2024-06-30 已过 1 天');
    // and the next deadline's year beside the stragglers of the last
    expect(text).to.include('2025 年度报送截止日期 2025-01-20，还有 203 天');
    const count = (name: string) =>
      new RegExp(`<td data-label="省份">${name}</td><td class="num" data-label="[^"]+"><a href="([^"]+)">(\\d+)</a>`).exec(
        home.text,
      );
    // 江苏: three pairings, 姑苏's side submitted; 陕西: three; 广东 and 贵州: two each
    expect(count('江苏省')?.[2]).to.equal('2');
    expect(count('陕西省')?.[2]).to.equal('3');
    expect(count('广东省')?.[2]).to.equal('2');
    const board = await admin.get(unescape(count('江苏省')![1]!));
    expect(boardNames(board.text)).to.have.length(2);
    expect(boardNames(board.text).join(' ')).not.to.include('姑苏区');
  });
});

describe("an evaluator's home page", () => {
  it('when the evaluator enters a judged score, then its home page owes one score less, on the object it scored', async () => {
    const { app, db } = buildApp(undefined, {}, () => new Date('2024-12-20T02:00:00Z'));
    buildPairing(db);
    const evaluator = await buildUser(db, { role: 'evaluator', username: 'evaluator' });
    seedAssessment(db); // 2024 open at self-assessment, the evaluator on its team
    const agent = await loginAs(app, evaluator);
    const owed = (html: string) => Number(/您还有 (\d+) 项评分未填/.exec(textOf(html))?.[1] ?? NaN);
    const row = (html: string, name: string) =>
      textOf(
        new RegExp(
          `<tr[^>]*>\\s*<td data-label="[^"]+"><a href="/assessment/2024/scorecards/r.assisting.320000">${name}</a>[\\s\\S]*?</tr>`,
        ).exec(html)?.[0] ?? '',
      );
    const before = await agent.get('/');
    expect(textOf(before.text)).to.include('2024 年度考核 · 自评').and.include('本阶段应于 2024-12-31 完成，还有 11 天');
    const total = owed(before.text);
    expect(total).to.be.greaterThan(0);
    expect(row(before.text, '江苏省')).to.match(/2\s+2/);

    // judged scores are entered at the cross-check
    advanceRound(db, SYSTEM, 2024, getRound(db, 2024).version);
    const crosscheck = await agent.get('/');
    expect(owed(crosscheck.text)).to.equal(total);
    submitInput(db, { id: evaluator.id, role: 'evaluator', scope: null }, 2024, {
      kind: 'judged',
      objectKey: 'r.assisting.320000',
      indicatorKey: 'org.leadership',
      score: 9,
      text: '现场核查',
    });
    const after = await agent.get('/');
    expect(owed(after.text)).to.equal(total - 1);
    expect(row(after.text, '江苏省')).to.match(/2\s+1/);

    // every score given, taken from its worklist: the home page says so, and counts nothing owed
    for (let left = total - 1; left > 0;) {
      const list = (await agent.get('/assessment/2024/worklist')).text;
      const items = [
        ...list.matchAll(/name="objectKey" value="([^"]+)"><input type="hidden" name="indicatorKey" value="([^"]+)"/g),
      ];
      expect(items.length, `${left} items waiting`).to.be.greaterThan(0);
      for (const [, objectKey, indicatorKey] of items) {
        submitInput(db, { id: evaluator.id, role: 'evaluator', scope: null }, 2024, {
          kind: 'judged',
          objectKey: objectKey!,
          indicatorKey: indicatorKey!,
          score: 3,
          text: '现场核查',
        });
        left -= 1;
      }
    }
    const done = textOf((await agent.get('/')).text);
    expect(done).to.include('您的评分已全部完成').and.not.include('项评分未填');
  });
});
