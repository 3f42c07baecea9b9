import { expect } from 'chai';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/**
 * The assessment's charts: a scorecard's score by area, and the grades of the league tables. Each
 * table behind a chart must add up to what the page's own tables say, summed here from their cells.
 */

function figure(html: string, id: string) {
  const fig = new RegExp(`<figure class="chart" aria-labelledby="chart-${id}-cap">([\\s\\S]*?)</figure>`).exec(html)?.[1] ?? '';
  const svg = /<svg[\s\S]*?<\/svg>/.exec(fig)?.[0] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(fig)?.[1] ?? '';
  const rows = [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]!),
  );
  return { fig, svg, rows };
}

async function world() {
  const { app, db } = buildApp();
  const { county } = buildJiangsuShaanxi(db);
  buildRecord(db, 'funds', county.id);
  buildRecord(db, 'labour', county.id, { people: 321 });
  seedAssessment(db); // frameworks 2021–2025, 2024 open at self-assessment
  const admin = await loginAs(app, await buildUser(db, { role: 'admin' }));
  return { app, db, admin };
}

describe('charts: the assessment', () => {
  it('when a scorecard is opened, then its chart names each area and its table sums the scorecard’s own scores and maxima by area', async () => {
    const { admin } = await world();
    const html = (await admin.get('/assessment/2024/scorecards/r.assisting.320000')).text;
    const { fig, svg, rows } = figure(html, 'areas');
    expect(fig).to.include('江苏省各领域得分（分）');
    // the scorecard's rows: area, then "score / max" (or 不适用), summed here by area
    const sums = new Map<string, { score: number; max: number }>();
    const table = /<table class="list scorecard">([\s\S]*?)<\/table>/.exec(html)![1]!;
    for (const m of table.matchAll(
      /<span class="muted">([^<]+)<\/span><br>[\s\S]*?<\/th>(?:\s*<td class="num">[^<]*<\/td>){4}\s*<td class="num">([^<]*)<\/td>/g,
    )) {
      const score = /^([\d.—]+) \/ ([\d.]+)$/.exec(m[2]!);
      if (!score) continue; // not applicable: out of the maximum
      const a = sums.get(m[1]!) ?? sums.set(m[1]!, { score: 0, max: 0 }).get(m[1]!)!;
      a.score += score[1] === '—' ? 0 : Number(score[1]);
      a.max += Number(score[2]);
    }
    expect(sums.size).to.be.greaterThan(3);
    for (const area of sums.keys()) expect(svg).to.include(`>${area}<`);
    expect(svg).to.include('得分').and.include('满分');
    expect(rows.map((r) => [r[0], Number(r[1]), Number(r[2])])).to.deep.equal(
      [...sums].map(([area, a]) => [area, Math.round(a.score * 100) / 100, Math.round(a.max * 100) / 100]),
    );
  });

  it('when the year page is opened, then the grades chart counts each group’s objects by grade as its league table does', async () => {
    const { admin } = await world();
    const html = (await admin.get('/assessment/2024')).text;
    const { fig, svg, rows } = figure(html, 'grades');
    expect(fig).to.include('2024年考核等次分布（个）');
    for (const g of ['好', '较好', '一般', '较差']) expect(svg).to.include(`>${g}<`);
    // each league section: its name, then its tags "好 N" … in grade order
    const leagues = [...html.matchAll(/<h2 id="g-[^"]+">([^<]+?) <span[\s\S]*?<p class="grade-counts">([\s\S]*?)<\/p>/g)].map(
      (m) => [m[1]!, ...[...m[2]!.matchAll(/<span class="tag grade-\w+">\S+ (\d+)<\/span>/g)].map((c) => c[1]!)],
    );
    expect(leagues.length).to.be.greaterThan(1);
    for (const [name] of leagues) expect(svg).to.include(`>${name}<`);
    expect(rows).to.deep.equal(leagues);
  });
});
