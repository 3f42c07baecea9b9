import { expect } from 'chai';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';

/**
 * Filters that stay: the year, side and region a user last filtered a list by come back on the
 * next bare visit, through a redirect to the URL holding them (a view to bookmark and to send to
 * the partner side); a URL with a query is the view as it stands, and its filters are kept.
 */
async function world() {
  const { app, db } = buildApp();
  const { county } = buildJiangsuShaanxi(db);
  buildRecord(db, 'talents', county.id, { side: 'assisting', kind: 'cadre', direction: 'to_west' });
  buildRecord(db, 'talents', county.id, { side: 'assisted', kind: 'cadre', direction: 'to_east' });
  const jiangsu = await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' });
  const colleague = await buildUser(db, { username: 'office.jiangsu.2', regionCode: '320000' });
  return { app, db, county, jiangsu, as: { jiangsu: await loginAs(app, jiangsu), colleague: await loginAs(app, colleague) } };
}

/** The page's markup with the entities Handlebars writes in attributes read back. */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

describe('filters that stay (year, side, region)', () => {
  it('when a user filters the pairings, then the next bare visit redirects to the same filters, and a colleague’s does not', async () => {
    const w = await world();
    expect((await w.as.jiangsu.get('/pairings?year=2024&side=assisting&region=3205')).status).to.equal(200);

    const back = await w.as.jiangsu.get('/pairings');
    expect(back.status).to.equal(302);
    expect(back.headers.location).to.equal('/pairings?year=2024&side=assisting&region=3205');
    expect((await w.as.colleague.get('/pairings')).status).to.equal(200); // not another user's

    // the side says where the region is looked for: 陕西 is the side assisted, never the assisting one
    const rows = async (q: string) =>
      ((await w.as.jiangsu.get(`/pairings?${q}`)).text.match(/<a href="\/pairings\/\d+">/g) ?? []).length;
    expect(await rows('region=61&side=assisted')).to.equal(2);
    expect(await rows('region=61&side=assisting')).to.equal(0);
    expect(await rows('region=61')).to.equal(2);

    // a region typed as a name is kept as the code prefix it became
    await w.as.jiangsu.get(`/pairings?region=${encodeURIComponent('江苏省/苏州市')}`).redirects(1);
    expect((await w.as.jiangsu.get('/pairings')).headers.location).to.equal('/pairings?region=3205');
  });

  it('when the records are filtered on one tab, then every kind’s list opens with the same filters', async () => {
    const w = await world();
    const page = await w.as.jiangsu.get('/records/talents?year=2024&side=assisted');
    expect(page.status).to.equal(200);
    expect(decoded(page.text)).to.contain('href="/records/funds?side=assisted&year=2024"'); // the tabs carry them
    expect((page.text.match(/href="\/records\/talents\/\d+"/g) ?? []).length).to.equal(1); // the west side's one

    const funds = await w.as.jiangsu.get('/records/funds');
    expect(funds.status).to.equal(302);
    expect(funds.headers.location).to.equal('/records/funds?year=2024&side=assisted');
    // one pairing's records are its own page: not kept, not restored
    expect((await w.as.jiangsu.get(`/records/funds?pairing=${w.county.id}`)).status).to.equal(200);
    expect((await w.as.jiangsu.get('/records/funds')).headers.location).to.equal('/records/funds?year=2024&side=assisted');
  });

  it('when the user clears the filters, then the list opens bare again', async () => {
    const w = await world();
    const filtered = await w.as.jiangsu.get('/pairings?year=2024');
    expect(decoded(filtered.text)).to.match(/<a[^>]+href="\/pairings\?filters=clear"[^>]*>清除筛选<\/a>/);
    const cleared = await w.as.jiangsu.get('/pairings?filters=clear');
    expect(cleared.status).to.equal(302);
    expect(cleared.headers.location).to.equal('/pairings');
    expect((await w.as.jiangsu.get('/pairings')).status).to.equal(200);
  });

  it('when a saved value is bad (a year out of range, an unknown side), then it is dropped, never an error', async () => {
    const w = await world();
    const save = (query: string) =>
      w.db.$client
        .prepare('INSERT OR REPLACE INTO user_filters (user_id, list, query) VALUES (?, ?, ?)')
        .run(w.jiangsu.id, 'pairings', query);
    save('year=3000&side=north&region=32');
    const back = await w.as.jiangsu.get('/pairings');
    expect(back.status).to.equal(302);
    expect(back.headers.location).to.equal('/pairings?region=32');
    save('year=3000&region=%E6%B1%9F');
    expect((await w.as.jiangsu.get('/pairings')).status).to.equal(200); // nothing good left: the bare list
    expect((await w.as.jiangsu.get('/pairings?year=99999')).status).to.equal(200);
    expect((await w.as.jiangsu.get('/pairings')).status).to.equal(200); // the bad year was not kept
  });
});
