import { expect } from 'chai';
import supertest from 'supertest';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { z } from 'zod';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { createFramework } from '../../server/assessment/assessment.service.ts';
import { ALL_ENDPOINTS, ENDPOINTS } from '../../server/api/api.endpoints.ts';
import { ApiErrorBody } from '../../server/api/api.schemas.ts';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { recordKindKeys } from '../../server/records/records.service.ts';
import { bearer, publishYear, tokenFor } from '../support/api.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { allRoutes } from '../security/routes.support.ts';

/**
 * The read API (issue 10, item 3): the pages' data, filters, pagination and scope as JSON, with
 * errors as JSON, described by an OpenAPI 3.1 document generated from the same list of endpoints.
 */
const YEAR = 2024;
const responseOf = (id: string) => ENDPOINTS.find((e) => e.id === id)!.response as z.ZodType;

/** 江苏–陕西 and 广东–贵州, a record of every kind and an agreement on each county pair, 2024 published. */
async function world() {
  const { app, db } = buildApp(undefined, {}, () => new Date('2025-03-01T02:00:00Z'));
  const js = buildJiangsuShaanxi(db);
  const gg = buildGuangdongGuizhou(db);
  const ids: Record<string, Record<string, number>> = { js: {}, gg: {} };
  for (const [side, pair] of [['js', js] as const, ['gg', gg] as const]) {
    for (const kind of recordKindKeys)
      ids[side]![kind] = buildRecord(
        db,
        kind,
        pair.county.id,
        kind === 'projects' && side === 'gg' ? { locationCode: '520602' } : {},
      ).id;
    saveAgreement(db, SYSTEM, pair.county.id, YEAR, { version: 0, fiscalFundsFen: 500_000_00, jobs: 200 });
  }
  const liaison = await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' });
  const first = await buildUser(db, { username: 'eva', role: 'evaluator' });
  const second = await buildUser(db, { username: 'eve', role: 'evaluator' });
  const evaluators = {
    first: { id: first.id, role: 'evaluator', scope: null } as Actor,
    second: { id: second.id, role: 'evaluator', scope: null } as Actor,
  };
  createFramework(db, SYSTEM, YEAR, [first.id, second.id]);
  const { token } = await tokenFor(app, liaison);
  const get = (url: string) => supertest(app).get(url).set(bearer(token));
  return { app, db, js, gg, ids, liaison, evaluators, token, get };
}

describe('the read API', () => {
  let w: Awaited<ReturnType<typeof world>>;
  before(async () => {
    w = await world();
  });

  it('when a liaison’s token names another region’s pairing, agreement or record, then it answers 404 in JSON', async () => {
    const own = await w.get(`/api/v1/pairings/${w.js.county.id}`);
    expect(own.status).to.equal(200);
    responseOf('getPairing').parse(own.body);
    expect(own.body).to.deep.include({ assisted: { code: '610102', name: '陕西省 西安市 新城区', unit: null, zone: 'west' } });
    for (const url of [
      `/api/v1/pairings/${w.gg.county.id}`,
      `/api/v1/pairings/${w.gg.county.id}/agreements`,
      `/api/v1/pairings/${w.gg.county.id}/agreements/${YEAR}`,
      `/api/v1/records/funds/${w.ids.gg!.funds}`,
    ]) {
      const res = await w.get(url);
      expect(res.status, url).to.equal(404);
      expect(res.type).to.equal('application/json');
      expect(ApiErrorBody.parse(res.body).error.code).to.equal('not_found');
    }
  });

  it('when lists are read, then they have the pages’ scope, filters and pagination', async () => {
    const pairings = await w.get('/api/v1/pairings?level=county');
    expect(responseOf('listPairings').parse(pairings.body)).to.deep.include({ page: 1, pages: 1, total: 1 });
    for (const kind of recordKindKeys) {
      const res = await w.get(`/api/v1/records/${kind}?year=${YEAR}`);
      const body = responseOf(`listRecords_${kind}`).parse(res.body) as { items: { id: number }[]; total: number };
      expect(
        body.items.map((r) => r.id),
        kind,
      ).to.deep.equal([w.ids.js![kind]]);
    }
    const funds = await w.get('/api/v1/records/funds?kind=social');
    expect((funds.body as { total: number }).total).to.equal(0);
    const record = await w.get(`/api/v1/records/projects/${w.ids.js!.projects}`);
    expect(responseOf('getRecord_projects').parse(record.body)).to.deep.include({
      locationCode: { code: '610102', name: '陕西省 西安市 新城区' },
      actualFen: 500_000_00,
    });
    const agreements = await w.get(`/api/v1/pairings/${w.js.county.id}/agreements`);
    const list = responseOf('listAgreements').parse(agreements.body) as { items: { year: number; fiscalFundsFen: number }[] };
    expect(list.items).to.have.length(1);
    expect(list.items[0]).to.include({ year: YEAR, fiscalFundsFen: 500_000_00 });
    const regions = await w.get('/api/v1/regions?q=铜仁');
    expect((responseOf('listRegions').parse(regions.body) as { items: { code: string }[] }).items[0]!.code).to.equal('520600');
    responseOf('getRegion').parse((await w.get('/api/v1/regions/520600')).body);
  });

  it('when a query is bad, then it answers 422 in JSON, naming each parameter; a page shows the list regardless', async () => {
    const res = await w.get('/api/v1/records/funds?year=1800&kind=cadre&colour=red&page=');
    expect(res.status).to.equal(422);
    const body = ApiErrorBody.parse(res.body);
    expect(body.error.code).to.equal('invalid_query');
    expect(Object.keys(body.error.fields ?? {}).sort()).to.deep.equal(['colour', 'kind', 'year']);
    const page = await (await loginAs(w.app, w.liaison)).get('/records/funds?year=1800&kind=cadre');
    expect(page.status).to.equal(200);
  });

  it('when a path is unknown, or not a GET, then the answer is JSON with a stable code, never a page', async () => {
    const unknown = await w.get('/api/v1/nothing/here');
    expect(unknown.status).to.equal(404);
    expect(ApiErrorBody.parse(unknown.body).error.code).to.equal('not_found');
    const badId = await w.get('/api/v1/pairings/abc');
    expect(badId.status).to.equal(404);
    expect(badId.type).to.equal('application/json');
    const post = await supertest(app()).post('/api/v1/pairings').set(bearer(w.token)).type('form').send({ a: '1' });
    expect(post.type).to.equal('application/json');
    expect(ApiErrorBody.parse(post.body).error.code).to.equal('forbidden'); // no CSRF token: a write never passes
    expect(unknown.headers['cache-control']).to.equal('no-store');
    expect(unknown.headers['x-content-type-options']).to.equal('nosniff');
  });

  it('when a year is published, then its scorecards are served as the liaison sees them, and unpublished years are not', async () => {
    expect((await w.get(`/api/v1/assessment/${YEAR}/scorecards`)).status).to.equal(404);
    publishYear(w.db, YEAR, w.evaluators);
    const league = await w.get(`/api/v1/assessment/${YEAR}/scorecards`);
    expect(league.status).to.equal(200);
    const body = responseOf('listScorecards').parse(league.body) as { items: { key: string }[] };
    expect(body.items.length).to.be.greaterThan(0);
    // its own province's scorecard and that of 江苏, the province 陕西 is paired with (whose opinion it gives)
    expect(body.items.every((s) => s.key.endsWith('.610000') || s.key === 'r.assisting.320000')).to.equal(true);
    const own = await w.get(`/api/v1/assessment/${YEAR}/scorecards/r.assisted.610000`);
    expect(own.status).to.equal(200);
    const card = responseOf('getScorecard').parse(own.body) as { indicators: unknown[]; publishedAt: string };
    expect(card.indicators.length).to.be.greaterThan(5);
    expect(card.publishedAt).to.be.a('string');
    expect((await w.get(`/api/v1/assessment/${YEAR}/scorecards/r.assisting.440000`)).status).to.equal(404);
    expect((await w.get(`/api/v1/assessment/${YEAR - 1}/scorecards`)).status).to.equal(404);
  });

  it('when the docs page is opened, then it lists every endpoint with a curl example and a link to make a token', async () => {
    const page = await (await loginAs(w.app, w.liaison)).get('/api/docs');
    expect(page.status).to.equal(200);
    for (const e of ALL_ENDPOINTS) expect(page.text, e.path).to.include(e.path);
    expect(page.text).to.include('Authorization: Bearer ewc_…').and.include('href="/account#tokens"');
  });

  function app() {
    return w.app;
  }
});

describe('the OpenAPI document', () => {
  it('when it is fetched without a token, then it is valid OpenAPI 3.1 and every $ref in it resolves', async () => {
    const { app } = buildApp();
    const res = await supertest(app).get('/api/v1/openapi.json');
    expect(res.status).to.equal(200);
    const doc = res.body as Record<string, unknown>;
    expect(doc.openapi).to.match(/^3\.1\.\d+$/);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? [], JSON.stringify(result.errors)).to.deep.equal([]);
    expect(result.valid).to.equal(true);

    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object')
        for (const [k, v] of Object.entries(node)) k === '$ref' && typeof v === 'string' ? refs.push(v) : walk(v);
    };
    walk(doc);
    expect(refs.length).to.be.greaterThan(20);
    for (const ref of new Set(refs)) {
      expect(ref, ref).to.match(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>(
          (at, part) => (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')],
          doc,
        );
      expect(target, `${ref} resolves`).to.be.an('object');
    }
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses?: object }>>))
      for (const [method, op] of Object.entries(item)) expect(op.responses, `${method} ${path}`).to.have.property('200');
  });

  it('when the route table is walked, then the document lists every /api/v1 route of it, and nothing else', async () => {
    const { app } = buildApp();
    const doc = (await supertest(app).get('/api/v1/openapi.json')).body as { paths: Record<string, object> };
    const routes = allRoutes().filter((r) => r.path.startsWith('/api/v1/'));
    expect(routes.length).to.be.greaterThan(15);
    expect(
      routes.every((r) => r.method === 'get' && r.api),
      'the API only reads',
    ).to.equal(true);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`));
    const served = routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(documented.sort()).to.deep.equal(served.sort());
  });
});
