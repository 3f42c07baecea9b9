import { expect } from 'chai';
import { submitInput } from '../../server/assessment/assessment.rounds.ts';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { addComment } from '../../server/comments/comments.service.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { createPairing, updatePairing } from '../../server/pairings/pairings.service.ts';
import { createToken } from '../../server/tokens/tokens.service.ts';
import { RECORD_KINDS, formFields, recordKindKeys } from '../../server/records/records.service.ts';
import { buildRecord } from '../support/factories.ts';
import { actorOf } from './assessment.support.ts';
import { allRoutes, fill, routeKey, routeWorld, YEAR, type RouteWorld } from './routes.support.ts';

/**
 * Stored markup comes back as text (issue 8): a payload typed into every free-text field — every
 * record kind's text fields from the registry, pairings, pair-up units, agreements, comments, user
 * names, self-assessments — is escaped on every page of the route table that shows it.
 */
const PAYLOAD = '<script>x</script>"onmouseover=';
const RAW = ['<script>x', '"onmouseover='];
const ESCAPED = '&lt;script&gt;x&lt;/script&gt;&quot;onmouseover&#x3D;';

function plant(w: RouteWorld) {
  const { db } = w;
  // Every text field of every record kind, from the record-kind registry.
  for (const kind of recordKindKeys) {
    const text = formFields(RECORD_KINDS[kind]).filter((f) => f.type === 'text' || f.type === 'textarea');
    buildRecord(
      db,
      kind,
      w.js.county.id,
      Object.fromEntries(text.map((f) => [f.name, PAYLOAD.slice(0, 'max' in f && f.max ? f.max : 200)])),
    );
  }
  const county = w.js.county;
  updatePairing(db, SYSTEM, county.id, {
    level: 'county',
    assistingCode: county.assistingCode,
    assistedCode: county.assistedCode,
    startYear: county.startYear,
    status: 'active',
    outsideZones: false,
    notes: PAYLOAD,
    version: county.version,
  });
  const pairup = createPairing(db, SYSTEM, {
    level: 'pairup',
    pairupKind: 'village',
    parentId: county.id,
    assistingCode: county.assistingCode,
    assistingUnit: `${PAYLOAD}村`,
    assistedCode: county.assistedCode,
    assistedUnit: `${PAYLOAD}村`,
    startYear: 2022,
    status: 'active',
    outsideZones: false,
  });
  saveAgreement(db, SYSTEM, county.id, 2023, { version: 0, commitments: PAYLOAD });
  addComment(db, SYSTEM, { entity: 'record.funds', entityId: w.records.js.funds, pairingId: county.id }, 'assisted', PAYLOAD);
  db.$client.prepare('UPDATE users SET display_name = ? WHERE id = ?').run(PAYLOAD, w.users.jiangsu.id);
  submitInput(db, actorOf(w.users.jiangsu), YEAR, {
    kind: 'self',
    objectKey: 'r.assisting.320000',
    indicatorKey: '',
    text: PAYLOAD,
  });
  // an access token's name, on the admin's own profile and revoke pages
  const token = createToken(db, actorOf(w.users.admin), { name: PAYLOAD.slice(0, 60), days: 30 }, new Date());
  return { pairup, token };
}

describe('security: stored markup is escaped on every page', function () {
  this.timeout(120_000);

  it('when every free-text field holds markup, then no page of the route table sends it back raw', async () => {
    const w = await routeWorld();
    const { pairup, token } = plant(w);
    const admin = await w.as('admin');
    // The user who typed the comment in the history is the one with the hostile name.
    await (await w.as('jiangsu')).get('/');
    const urls = new Set<string>();
    for (const route of allRoutes().filter((r) => r.method === 'get' && r.access !== 'public')) {
      if (/\/pdf$|\/evidence\/:id$/.test(route.path)) continue;
      const kinds = route.path.includes(':kind') ? recordKindKeys : (['funds'] as const);
      for (const kind of kinds) {
        const own = {
          ...w.params.own,
          kind,
          rid: w.records.js[kind],
          id: route.path.startsWith('/admin/users') ? w.users.jiangsu.id : w.params.own.id,
        };
        urls.add(fill(route.path, own));
        if (route.path === '/pairings/:id') urls.add(fill(route.path, { ...own, id: pairup.id }));
      }
      if (route.path === '/records/:kind/:rid') {
        for (const kind of recordKindKeys) {
          const newest = w.db.$client.prepare(`SELECT max(id) AS id FROM ${kind}`).get() as { id: number };
          urls.add(`/records/${kind}/${newest.id}`);
        }
      }
    }
    urls.add(`/pairings/${w.js.county.id}/agreements/2023`);
    urls.add(`/pairings/${w.js.county.id}/history`);
    urls.add(`/account/tokens/${token.id}/revoke`);
    urls.add(`/assessment/${YEAR}/scorecards/r.assisting.320000`);
    const raw: string[] = [];
    let escapedOn = 0;
    for (const url of urls) {
      const res = await admin.get(url);
      if (!String(res.headers['content-type'] ?? '').includes('text/html')) continue;
      for (const r of RAW) if (res.text.includes(r)) raw.push(`${url} contains ${r}`);
      if (res.text.includes(ESCAPED) || res.text.includes('&lt;script&gt;x')) escapedOn++;
    }
    expect(raw).to.deep.equal([]);
    // The payload really is on the pages (so this test can fail): lists, details, history, forms.
    expect(escapedOn, `escaped payload found on ${escapedOn} of ${urls.size} pages`).to.be.at.least(12);
    expect(allRoutes().map(routeKey)).to.include('GET /records/:kind/:rid');
  });
});
