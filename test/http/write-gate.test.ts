import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'chai';
import { holdWrites } from '../../server/lib/write-gate.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';

/**
 * While an import's commit holds the database's one write lock on its own thread
 * (lib/write-gate.ts), a save waits for it without holding anyone: pages are still read, an
 * export (which writes its audit entry) waits too, and both go on once the commit ends.
 */
describe('saves wait while an import holds the write lock', () => {
  it('when writes are held, then a save and an export wait while a page is read; both finish once the hold ends', async () => {
    const { app, db } = buildApp();
    const pairs = buildJiangsuShaanxi(db);
    const office = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
    const token = await csrfFor(office, `/pairings/${pairs.county.id}/records/funds/new`);
    const settled: string[] = [];
    const release = holdWrites();
    let save;
    let exported;
    try {
      save = office
        .post(`/pairings/${pairs.county.id}/records/funds`)
        .type('form')
        .send({
          _csrf: token,
          year: '2024',
          date: '2024-05-01',
          kind: 'fiscal',
          form: 'money',
          committedFen: '10',
          committedFenUnit: 'wan',
          purpose: '茶园',
        })
        .then((r) => (settled.push('save'), r));
      exported = office.get('/records/funds/export/csv').then((r) => (settled.push('export'), r));
      const page = await office.get(`/pairings/${pairs.county.id}`);
      expect(page.status).to.equal(200);
      await delay(150);
      expect(settled).to.deep.equal([]);
    } finally {
      release();
    }
    const saved = await save;
    expect(saved.status).to.equal(302);
    expect(String(saved.headers.location)).to.match(/^\/records\/funds\/\d+$/);
    expect((await exported).status).to.equal(200);
    expect(settled).to.have.members(['save', 'export']);
  });
});
