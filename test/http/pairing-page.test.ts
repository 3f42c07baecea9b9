import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { SYSTEM } from '../../server/lib/actor.ts';
import { formatMoney } from '../../server/lib/money.ts';
import { DEMO_OPTIONS, seedDataset } from '../../server/demo/demo.seed.ts';
import { checkPairing } from '../../server/pairings/pairings.rules.ts';
import { createPairing } from '../../server/pairings/pairings.service.ts';
import { buildApp, buildDb, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

const FIXED = () => new Date('2025-02-01T08:00:00Z');
const cell = (html: string, key: string, col: 'value' | 'target' | 'percent' | 'previous') => {
  const row = new RegExp(`data-measure="${key}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  const cells = [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').trim());
  return cells[{ value: 0, target: 1, percent: 2, previous: 3 }[col]];
};

describe('the pairing page', () => {
  it('when records sit on a county pair and a pair-up below it, then the province page totals equal the sum of those records', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const { province, county } = buildJiangsuShaanxi(db);
    const school = createPairing(db, SYSTEM, {
      level: 'pairup',
      pairupKind: 'school',
      parentId: county.id,
      assistingCode: '320508',
      assistingUnit: '苏州一中',
      assistedCode: '610102',
      assistedUnit: '新城一中',
      startYear: 2022,
      status: 'active',
      outsideZones: false,
    });
    const amounts = [1_234_567, 98_765_43, 10_00];
    buildRecord(db, 'funds', county.id, { committedFen: amounts[0], disbursedFen: amounts[0] });
    buildRecord(db, 'funds', county.id, {
      committedFen: amounts[1],
      disbursedFen: amounts[1],
      date: '2024-08-01',
      disbursedOn: '2024-08-02',
    });
    buildRecord(db, 'funds', school.id, { committedFen: amounts[2], disbursedFen: amounts[2] });
    buildRecord(db, 'funds', county.id, {
      year: 2023,
      date: '2023-05-01',
      disbursedOn: '2023-05-02',
      committedFen: 7_00,
      disbursedFen: 7_00,
    });
    buildRecord(db, 'labour', county.id, { people: 120 });
    buildRecord(db, 'labour', school.id, { people: 30, formerlyPoor: 10 });
    buildRecord(db, 'consumption', county.id, { amountFen: 5_00 }); // deleted below: must not count
    const gone = buildRecord(db, 'consumption', county.id, { amountFen: 99_00 });
    const { deleteRecord } = await import('../../server/records/records.service.ts');
    deleteRecord(db, SYSTEM, 'consumption', gone.id, gone.version);

    const agent = await loginAs(app, await buildUser(db, { role: 'liaison', regionCode: '610000' }));
    await agent.get('/unit/yuan');
    const page = (await agent.get(`/pairings/${province.id}?year=2024`)).text;
    const sum = amounts.reduce((a, b) => a + b, 0);
    expect(cell(page, 'fiscalFunds', 'value')).to.equal(formatMoney(sum, 'yuan'));
    expect(cell(page, 'fiscalFunds', 'previous')).to.equal('7.00');
    expect(cell(page, 'jobs', 'value')).to.equal('150');
    expect(cell(page, 'jobsFormerlyPoor', 'value')).to.equal('90');
    expect(cell(page, 'purchases', 'value')).to.equal('5.00');
    expect(cell(page, 'pairups', 'value')).to.equal('1');
    // the county pair's own page shows the same roll-up, and the list of its records adds up to it
    const countyPage = (await agent.get(`/pairings/${county.id}?year=2024`)).text;
    expect(cell(countyPage, 'fiscalFunds', 'value')).to.equal(formatMoney(sum, 'yuan'));
    const list = (await agent.get(`/records/funds?year=2024`)).text;
    const listed = [
      ...list.matchAll(/<td class="num"[^>]*>([\d,]+\.\d\d)<\/td>\s*<td class="num"[^>]*>([\d,]+\.\d\d)<\/td>/g),
    ].map((m) => Math.round(Number(m[2]!.replace(/,/g, '')) * 100));
    expect(listed.reduce((a, b) => a + b, 0)).to.equal(sum);

    // the county page's child pairs are kept: a new pair-up below it shows on the next view
    expect(countyPage).to.contain('苏州一中').and.to.not.contain('苏州二中');
    createPairing(db, SYSTEM, {
      level: 'pairup',
      pairupKind: 'school',
      parentId: county.id,
      assistingCode: '320508',
      assistingUnit: '苏州二中',
      assistedCode: '610102',
      assistedUnit: '新城二中',
      startYear: 2022,
      status: 'active',
      outsideZones: false,
    });
    expect((await agent.get(`/pairings/${county.id}?year=2024`)).text).to.contain('苏州二中');

    // its tables are kept too: a new record changes the figure, and each language reads its own
    buildRecord(db, 'funds', county.id, { committedFen: 1_00, disbursedFen: 1_00 });
    const after = (await agent.get(`/pairings/${county.id}?year=2024`)).text;
    expect(cell(after, 'fiscalFunds', 'value')).to.equal(formatMoney(sum + 1_00, 'yuan'));
    await agent.get('/lang/en');
    const english = (await agent.get(`/pairings/${county.id}?year=2024`)).text;
    expect(cell(english, 'fiscalFunds', 'value')).to.equal(formatMoney(sum + 1_00, 'yuan'));
    expect(/data-measure="fiscalFunds">\s*<th scope="row">([^<]*)/.exec(english)?.[1]).to.not.match(/[\u4e00-\u9fff]/);
  });

  it('when an agreement is saved, then the page shows % of target, and a second save over the old version is refused', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const { county } = buildJiangsuShaanxi(db);
    buildRecord(db, 'labour', county.id, { people: 150, formerlyPoor: 50 });
    const agent = await loginAs(app, await buildUser(db, { role: 'staff', regionCode: '320000' }));
    const t = await csrfFor(agent, `/pairings/${county.id}/agreements/2024`);
    const save = (version: string, jobs: string) =>
      agent
        .post(`/pairings/${county.id}/agreements/2024`)
        .type('form')
        .send({ _csrf: t, version, jobs, fiscalFundsFen: '5,000', fiscalFundsFenUnit: 'wan', signedOn: '2024-03-01' });
    expect((await save('0', '200')).status).to.equal(302);
    const page = (await agent.get(`/pairings/${county.id}?year=2024`)).text;
    expect(cell(page, 'jobs', 'target')).to.equal('200');
    expect(cell(page, 'jobs', 'percent')).to.equal('75%');
    expect((await save('0', '300')).status).to.equal(409);
    expect((await save('1', '300')).status).to.equal(302);
    const bad = await agent
      .post(`/pairings/${county.id}/agreements/2024`)
      .type('form')
      .send({ _csrf: t, version: '2', jobs: '-3', fiscalFundsFen: '1.2.3', fiscalFundsFenUnit: 'wan' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.contain('不能为负数').and.to.contain('请填写金额数字');
  });

  it('when the demo dataset is seeded twice from the same seed, then the data is identical, realistic and passes the pairing rules', () => {
    const fingerprint = () => {
      const db = buildDb();
      const started = performance.now();
      const counts = seedDataset(db, DEMO_OPTIONS);
      const ms = performance.now() - started;
      const hash = createHash('sha256');
      for (const table of ['pairings', 'agreements', 'funds', 'talents', 'projects', 'labour', 'consumption']) {
        for (const row of db.$client.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().all()) hash.update(JSON.stringify(row));
      }
      return { db, counts, ms, hash: hash.digest('hex') };
    };
    const a = fingerprint();
    const b = fingerprint();
    expect(a.hash).to.equal(b.hash);
    expect(a.ms).to.be.below(10_000);
    expect(a.counts.countyPairs).to.be.at.least(150);
    const levels = Object.fromEntries(
      (
        a.db.$client.prepare('SELECT level, count(*) AS n FROM pairings GROUP BY level').all() as { level: string; n: number }[]
      ).map((r) => [r.level, r.n]),
    );
    expect(levels.province).to.equal(11);
    expect(levels.pairup).to.be.greaterThan(100);
    const years = a.db.$client.prepare('SELECT min(year) AS lo, max(year) AS hi FROM funds').get() as { lo: number; hi: number };
    expect(years).to.deep.equal({ lo: 2017, hi: DEMO_OPTIONS.lastYear });
    // about 5,000万元 of fiscal funds per county pair and year, as DOMAIN.md's 2023 national average
    const perCounty = a.db.$client
      .prepare(
        "SELECT avg(s) AS v FROM (SELECT sum(disbursed_fen) AS s FROM funds f JOIN pairings p ON p.id = f.pairing_id WHERE p.level = 'county' AND f.kind = 'fiscal' GROUP BY f.pairing_id, f.year)",
      )
      .get() as { v: number };
    expect(perCounty.v / 1_000_000).to.be.within(2_000, 8_000);
    // every seeded non-historical pairing satisfies the service's own rules
    const sample = a.db.$client.prepare('SELECT * FROM pairings WHERE outside_zones = 0 AND id % 7 = 0').all() as Record<
      string,
      unknown
    >[];
    expect(sample.length).to.be.greaterThan(50);
    for (const p of sample) {
      const input = {
        level: p.level,
        pairupKind: p.pairup_kind ?? undefined,
        parentId: p.parent_id ?? undefined,
        assistingCode: p.assisting_code,
        assistingUnit: p.assisting_unit ?? undefined,
        assistedCode: p.assisted_code,
        assistedUnit: p.assisted_unit ?? undefined,
        startYear: p.start_year,
        endYear: p.end_year ?? undefined,
        status: p.status,
        outsideZones: false,
      } as never;
      expect(checkPairing(a.db, input, p.id as number).errors, `pairing ${String(p.id)}`).to.deep.equal({});
    }
  });
});
