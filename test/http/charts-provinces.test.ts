import { expect } from 'chai';
import type { Db } from '../../db/client.ts';
import { DEMO_OPTIONS, seedDataset } from '../../server/demo/demo.seed.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/**
 * The charts page (server/charts): funds by year, the east → west Sankey and the province tiles.
 * Each table behind a chart must say what the database says (sums computed here in SQL, not by the
 * app's queries), and a region's reader must find nothing of another region in them.
 */

/** A chart's figure on the page: its caption, its SVG and the rows of its data table. */
function figure(html: string, id: string) {
  const fig = new RegExp(`<figure class="chart" aria-labelledby="chart-${id}-cap">([\\s\\S]*?)</figure>`).exec(html)?.[1] ?? '';
  const caption = /<figcaption[^>]*>([^<]*)<\/figcaption>/.exec(fig)?.[1] ?? '';
  const svg = /<svg[\s\S]*?<\/svg>/.exec(fig)?.[0] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(fig)?.[1] ?? '';
  const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]!),
  );
  return { fig, caption, svg, rows };
}

const WAN = 1_000_000; // fen

/** 江苏 → 陕西 and 广东 → 贵州, each with funds at two levels and in two years, and people sent. */
function buildTwoRegions(db: Db) {
  const js = buildJiangsuShaanxi(db);
  const gd = buildGuangdongGuizhou(db);
  const funds = (pairingId: number, year: number, kind: string, fen: number) =>
    buildRecord(db, 'funds', pairingId, {
      year,
      date: `${year}-04-01`,
      disbursedOn: `${year}-04-02`,
      kind,
      committedFen: fen,
      disbursedFen: fen,
    });
  funds(js.county.id, 2024, 'fiscal', 1230 * WAN);
  funds(js.county.id, 2024, 'social', 45 * WAN);
  funds(js.province.id, 2024, 'fiscal', 500 * WAN);
  funds(js.province.id, 2023, 'fiscal', 250 * WAN);
  funds(gd.county.id, 2024, 'fiscal', 3000 * WAN);
  funds(gd.county.id, 2023, 'social', 70 * WAN);
  buildRecord(db, 'talents', js.county.id, { kind: 'cadre', direction: 'to_west', people: 3 });
  buildRecord(db, 'talents', js.county.id, { kind: 'professional', profession: 'teacher', direction: 'to_west', people: 12 });
  buildRecord(db, 'talents', gd.county.id, { kind: 'professional', profession: 'doctor', direction: 'to_west', people: 7 });
  return { js, gd };
}

/** The sums in 万元 per pair of provinces of a year, straight from the tables. */
function flowsInSql(db: Db, year: number) {
  return db.$client
    .prepare(
      `SELECT a.name AS fromName, b.name AS toName,
              sum(CASE WHEN f.kind = 'fiscal' THEN f.disbursed_fen ELSE 0 END) / 1e6 AS fiscal,
              sum(CASE WHEN f.kind = 'social' THEN f.disbursed_fen ELSE 0 END) / 1e6 AS social,
              sum(f.disbursed_fen) / 1e6 AS total
       FROM funds f JOIN pairings p ON p.id = f.pairing_id
       JOIN regions a ON a.code = substr(p.assisting_code, 1, 2) || '0000'
       JOIN regions b ON b.code = substr(p.assisted_code, 1, 2) || '0000'
       WHERE f.year = ? AND f.deleted_at IS NULL GROUP BY a.code, b.code ORDER BY total DESC`,
    )
    .all(year) as { fromName: string; toName: string; fiscal: number; social: number; total: number }[];
}

describe('charts page: funds between provinces', () => {
  it('when the admin opens the charts of 2024, then the Sankey links 江苏省 → 陕西省 with the sum of their funds, and every table equals the database', async () => {
    const { app, db } = buildApp();
    buildTwoRegions(db);
    const admin = await loginAs(app, await buildUser(db, { role: 'admin' }));
    const html = (await admin.get('/charts?year=2024')).text;

    const sankey = figure(html, 'sankey');
    expect(sankey.caption).to.include('2024').and.include('万元');
    for (const name of ['江苏省', '陕西省', '广东省', '贵州省']) expect(sankey.svg).to.include(`>${name}<`);
    const expected = flowsInSql(db, 2024);
    expect(sankey.rows).to.deep.equal(
      expected.map((f) => [f.fromName, f.toName, String(f.fiscal), String(f.social), String(f.total)]),
    );
    expect(sankey.rows.find((r) => r[0] === '江苏省')).to.deep.equal(['江苏省', '陕西省', '1730', '45', '1775']);

    const years = figure(html, 'years');
    expect(years.caption).to.include('全国').and.include('万元');
    expect(years.svg).to.include('财政援助（已拨付）').and.include('社会帮扶').and.include('>2023<').and.include('>2024<');
    const byYear = db.$client
      .prepare(
        `SELECT year, sum(CASE WHEN kind = 'fiscal' THEN disbursed_fen ELSE 0 END) / 1e6 AS fiscal,
                sum(CASE WHEN kind = 'social' THEN disbursed_fen ELSE 0 END) / 1e6 AS social
         FROM funds WHERE deleted_at IS NULL GROUP BY year ORDER BY year`,
      )
      .all() as { year: number; fiscal: number; social: number }[];
    expect(years.rows).to.deep.equal(byYear.map((y) => [String(y.year), String(y.fiscal), String(y.social)]));

    const tiles = figure(html, 'tiles');
    expect(tiles.svg).to.include('>江苏<').and.include('>陕西<').and.include('>河南<'); // the admin sees every tile named
    expect(tiles.rows).to.deep.include(['广东省', '3000', '0', '3000']);
    expect(tiles.rows).to.deep.include(['陕西省', '0', '1775', '1775']);
  });

  it('when a 陕西 liaison opens the charts, then they hold only its own pairings: no 广东 or 贵州 in any chart or table, even when it asks for 广东', async () => {
    const { app, db } = buildApp();
    buildTwoRegions(db);
    const liaison = await loginAs(app, await buildUser(db, { role: 'liaison', regionCode: '610000' }));
    for (const url of ['/charts?year=2024', '/charts?year=2024&province=440000', '/charts?year=2024&measure=talents']) {
      const html = (await liaison.get(url)).text;
      const main = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? html;
      expect(main, url).to.include('陕西省');
      expect(main, url).not.to.include('广东').and.not.to.include('贵州');
      for (const id of ['years', 'sankey', 'tiles']) expect(figure(html, id).fig, `${url} ${id}`).not.to.equal('');
    }
    const html = (await liaison.get('/charts?year=2024')).text;
    expect(figure(html, 'sankey').rows).to.deep.equal([['江苏省', '陕西省', '1730', '45', '1775']]);
    expect(figure(html, 'years').rows).to.deep.equal([
      ['2023', '250', '0'],
      ['2024', '1730', '45'],
    ]);
    const people = figure((await liaison.get('/charts?year=2024&measure=talents')).text, 'sankey');
    expect(people.caption).to.include('人');
    expect(people.rows).to.deep.equal([['江苏省', '陕西省', '3', '12', '15']]);
  });

  it('when the demo data is loaded, then the 2024 Sankey shows 江苏省 → 陕西省 with their funds of that year', async () => {
    const { app, db } = buildApp();
    seedDataset(db, DEMO_OPTIONS);
    const admin = await loginAs(app, await buildUser(db, { role: 'admin' }));
    const sankey = figure((await admin.get('/charts?year=2024')).text, 'sankey');
    expect(sankey.svg).to.include('>江苏省<').and.include('>陕西省<');
    const js = flowsInSql(db, 2024).find((f) => f.fromName === '江苏省' && f.toName === '陕西省')!;
    expect(sankey.caption).to.include('亿元');
    expect(sankey.rows.find((r) => r[0] === '江苏省' && r[1] === '陕西省')?.[4]).to.equal(
      String(Math.round(js.total / 100) / 100),
    );
  });
});
