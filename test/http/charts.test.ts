import { expect } from 'chai';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { SYSTEM } from '../../server/lib/actor.ts';

/**
 * Charts are drawn on the server as SVG (lib/charts.ts, Apache ECharts): the pairing page's funds
 * by year holds its series' names and years, and the table behind it says what the database does.
 */
describe('charts: a pairing’s funds by year', () => {
  it('when a pairing has fiscal and social funds in two years, then its chart names both series and years, and its data table equals the sums in the database', async () => {
    const { app, db } = buildApp();
    const pair = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    buildRecord(db, 'funds', pair.id, {
      year: 2023,
      date: '2023-04-01',
      disbursedOn: '2023-04-02',
      kind: 'fiscal',
      committedFen: 250_000_000,
      disbursedFen: 250_000_000,
    });
    buildRecord(db, 'funds', pair.id, { kind: 'fiscal', committedFen: 1_230_000_000, disbursedFen: 1_230_000_000 });
    buildRecord(db, 'funds', pair.id, { kind: 'social', committedFen: 45_000_000, disbursedFen: 45_000_000 });
    const office = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
    const html = (await office.get(`/pairings/${pair.id}?year=2024`)).text;
    const svg = /<figure class="chart"[\s\S]*?<svg[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
    expect(svg).to.include('财政援助（已拨付）').and.include('社会帮扶');
    expect(svg).to.include('>2023<').and.include('>2024<').and.include('万元');
    const table = [
      ...html.matchAll(/<tr><td>(\d{4})<\/td><td class="num">([\d.]+)<\/td><td class="num">([\d.]+)<\/td><\/tr>/g),
    ].map((m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
    const sums = db.$client
      .prepare(
        `SELECT year, sum(CASE WHEN kind = 'fiscal' THEN disbursed_fen ELSE 0 END) / 1e6 AS fiscal,
                sum(CASE WHEN kind = 'social' THEN disbursed_fen ELSE 0 END) / 1e6 AS social
         FROM funds WHERE pairing_id = ? AND deleted_at IS NULL GROUP BY year ORDER BY year`,
      )
      .all(pair.id) as { year: number; fiscal: number; social: number }[];
    expect(table).to.deep.equal(sums.map((s) => [s.year, s.fiscal, s.social]));
    expect(table).to.have.length(2);
  });
});

describe('charts: agreement completion per measure', () => {
  it('when a pairing’s year has an agreement, then its page charts each targeted measure’s actual against the target in %, and the table equals the database', async () => {
    const { app, db } = buildApp();
    const pair = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    saveAgreement(db, SYSTEM, pair.id, 2024, { version: 0, fiscalFundsFen: 2_000_000_000, jobs: 200 });
    buildRecord(db, 'funds', pair.id, { kind: 'fiscal', committedFen: 1_230_000_000, disbursedFen: 1_230_000_000 });
    buildRecord(db, 'funds', pair.id, { kind: 'social', committedFen: 45_000_000, disbursedFen: 45_000_000 });
    buildRecord(db, 'labour', pair.id, { people: 150 });
    const office = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
    const html = (await office.get(`/pairings/${pair.id}?year=2024`)).text;
    const fig = /<figure class="chart" aria-labelledby="chart-completion-cap">([\s\S]*?)<\/figure>/.exec(html)?.[1] ?? '';
    expect(fig).to.include('2024年协议目标完成情况（%）');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(fig)?.[0] ?? '';
    expect(svg).to.include('财政援助资金（已拨付）').and.include('帮助就业（人）').and.include('完成率');
    expect(svg).not.to.include('社会帮扶资金'); // no target, no bar
    const rows = [
      ...fig.matchAll(
        /<tr><td>([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><td class="num">([^<]*)<\/td><\/tr>/g,
      ),
    ].map((m) => m.slice(1));
    const actual = db.$client
      .prepare(
        `SELECT (SELECT sum(disbursed_fen) FROM funds WHERE pairing_id = @id AND year = 2024 AND kind = 'fiscal' AND deleted_at IS NULL) AS fiscal,
                (SELECT sum(people) FROM labour WHERE pairing_id = @id AND year = 2024 AND deleted_at IS NULL) AS jobs,
                a.fiscal_funds_fen AS fiscalTarget, a.jobs AS jobsTarget
         FROM agreements a WHERE a.pairing_id = @id AND a.year = 2024`,
      )
      .get({ id: pair.id }) as { fiscal: number; jobs: number; fiscalTarget: number; jobsTarget: number };
    const pct = (v: number, target: number) => String(Math.round((v / target) * 1000) / 10);
    expect(rows).to.deep.equal([
      [
        '财政援助资金（已拨付）（万元）',
        (actual.fiscal / 1e6).toLocaleString('en', { minimumFractionDigits: 2 }),
        (actual.fiscalTarget / 1e6).toLocaleString('en', { minimumFractionDigits: 2 }),
        pct(actual.fiscal, actual.fiscalTarget),
      ],
      ['帮助就业（人）', String(actual.jobs), String(actual.jobsTarget), pct(actual.jobs, actual.jobsTarget)],
    ]);
  });
});
