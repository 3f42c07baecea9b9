import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { getAgreement, listAgreements } from '../agreements/agreements.service.ts';
import { orderedRows } from '../assessment/assessment.league.ts';
import { publishedScorecard, publishedYear } from '../assessment/assessment.publish.ts';
import { LeagueQuery, ObjectKeyParam } from '../assessment/assessment.schema.ts';
import type { Actor } from '../lib/actor.ts';
import { NotFoundError } from '../lib/errors.ts';
import { pageWindow } from '../lib/pagination.ts';
import { ids } from '../lib/validation.ts';
import { ListPairings } from '../pairings/pairings.schema.ts';
import { getPairing, listPairings } from '../pairings/pairings.service.ts';
import { filterOptions, listSchema } from '../records/records.schema.ts';
import * as records from '../records/records.service.ts';
import { RegionCode, RegionSearch } from '../regions/regions.schema.ts';
import { overview, regionNames, regionPage, search } from '../regions/regions.service.ts';
import * as present from './api.present.ts';
import { NoQuery, strictQuery } from './api.query.ts';
import * as s from './api.schemas.ts';

/**
 * The read API, in one list: the router (api.routes.ts) serves it and the OpenAPI document
 * (api.openapi.ts) describes it, so the two cannot drift. Each endpoint names the schemas of its
 * path parameters, its query (the list page's own filters, strictly: api.query.ts) and its answer,
 * and calls the services the pages call, with the same actor: the scope is theirs.
 */
export const API_BASE = '/api/v1';

export type Tag = 'regions' | 'pairings' | 'agreements' | 'records' | 'assessment' | 'meta';
export interface ApiContext<P = Record<string, unknown>, Q = Record<string, unknown>> {
  db: Db;
  actor: Actor;
  params: P;
  query: Q;
}
export interface Endpoint {
  /** The operationId; its summary is the i18n key `api.op.<id>` (a record kind's: `api.op.<id>` with the kind). */
  id: string;
  path: string;
  tag: Tag;
  access: 'public' | 'user';
  params: z.ZodObject;
  query: z.ZodObject;
  response: z.ZodType;
  /** For the docs: the record kind an endpoint serves. */
  kind?: records.RecordKindKey;
  run?: (ctx: ApiContext) => unknown;
}

function endpoint<P extends z.ZodObject, Q extends z.ZodObject>(
  e: Omit<Endpoint, 'params' | 'query' | 'run' | 'access'> & {
    params?: P;
    query?: Q;
    run: (ctx: ApiContext<z.output<P>, z.output<Q>>) => unknown;
  },
): Endpoint {
  return { access: 'user', params: z.object({}), query: NoQuery, ...e, run: e.run as Endpoint['run'] };
}

const Id = z.object({ id: ids.id });
const IdYear = z.object({ id: ids.id, year: ids.year });
const RecordId = z.object({ rid: ids.id });
const Year = z.object({ year: ids.year });

const RegionPage = s.pageOf('RegionPage', s.Region);
const PairingPage = s.pageOf('PairingPage', s.Pairing);
const ScorecardPage = s.pageOf('ScorecardPage', s.ScorecardSummary);
const AgreementList = s.named('AgreementList', z.object({ items: z.array(s.Agreement) }));

function recordEndpoints(kind: records.RecordKind): Endpoint[] {
  const base = `${API_BASE}/records/${kind.key}`;
  const item = s.RECORD_SCHEMAS[kind.key];
  const query = strictQuery(listSchema(kind));
  const named = (rows: Parameters<typeof present.regionCodesOf>[1], db: Db) => regionNames(db, present.regionCodesOf(kind, rows));
  return [
    endpoint({
      id: `listRecords_${kind.key}`,
      path: base,
      tag: 'records',
      kind: kind.key,
      query,
      response: s.pageOf(`RecordPage_${kind.key}`, item),
      run: ({ db, actor, query: f }) => {
        const fields = Object.fromEntries(
          filterOptions(kind).flatMap((o) => (typeof f[o.name] === 'string' ? [[o.name, f[o.name] as string]] : [])),
        );
        const result = records.listRecords(db, actor, kind.key, {
          pairingId: f.pairing as number | undefined,
          year: f.year as number | undefined,
          region: f.region as string | undefined,
          fields,
          page: f.page as number | undefined,
          sort: f.sort as 'date' | 'oldest',
        });
        const names = named(result.items, db);
        const { page, pages, total } = result;
        return { items: result.items.map((r) => present.presentRecord(kind, r, names)), page, pages, total };
      },
    }),
    endpoint({
      id: `getRecord_${kind.key}`,
      path: `${base}/:rid`,
      tag: 'records',
      kind: kind.key,
      params: RecordId,
      response: item,
      run: ({ db, actor, params }) => {
        const found = records.getRecord(db, actor, kind.key, params.rid);
        return present.presentRecord(kind, found, named([found], db));
      },
    }),
  ];
}

export const ENDPOINTS: readonly Endpoint[] = [
  endpoint({
    id: 'listRegions',
    path: `${API_BASE}/regions`,
    tag: 'regions',
    query: strictQuery(RegionSearch),
    response: RegionPage,
    run: ({ db, query }) => {
      const found = query.q ? search(db, query.q, query.page) : undefined;
      const items = found?.items ?? overview(db).provinces;
      const { page, pages, total } = found ?? { page: 1, pages: 1, total: items.length };
      return { items: items.map(present.presentRegion), page, pages, total };
    },
  }),
  endpoint({
    id: 'getRegion',
    path: `${API_BASE}/regions/:code`,
    tag: 'regions',
    params: z.object({ code: RegionCode }),
    response: s.RegionDetail,
    run: ({ db, params }) => {
      const page = regionPage(db, params.code);
      return {
        region: present.presentRegion(page.region),
        ancestors: page.ancestors.map(present.presentRegion),
        zone: page.zone,
        children: page.children.map(present.presentRegion),
      };
    },
  }),
  endpoint({
    id: 'listPairings',
    path: `${API_BASE}/pairings`,
    tag: 'pairings',
    query: strictQuery(ListPairings),
    response: PairingPage,
    run: ({ db, actor, query }) => {
      const result = listPairings(db, actor, query);
      return { ...result, items: result.items.map(present.presentPairing) };
    },
  }),
  endpoint({
    id: 'getPairing',
    path: `${API_BASE}/pairings/:id`,
    tag: 'pairings',
    params: Id,
    response: s.Pairing,
    run: ({ db, actor, params }) => present.presentPairing(getPairing(db, actor, params.id)),
  }),
  endpoint({
    id: 'listAgreements',
    path: `${API_BASE}/pairings/:id/agreements`,
    tag: 'agreements',
    params: Id,
    response: AgreementList,
    run: ({ db, actor, params }) => ({ items: listAgreements(db, actor, params.id).map(present.presentAgreement) }),
  }),
  endpoint({
    id: 'getAgreement',
    path: `${API_BASE}/pairings/:id/agreements/:year`,
    tag: 'agreements',
    params: IdYear,
    response: s.Agreement,
    run: ({ db, actor, params }) => {
      const { agreement } = getAgreement(db, actor, params.id, params.year);
      if (!agreement) throw new NotFoundError();
      return present.presentAgreement(agreement);
    },
  }),
  ...Object.values(records.RECORD_KINDS).flatMap(recordEndpoints),
  endpoint({
    id: 'listScorecards',
    path: `${API_BASE}/assessment/:year/scorecards`,
    tag: 'assessment',
    params: Year,
    query: strictQuery(LeagueQuery),
    response: ScorecardPage,
    run: ({ db, actor, params, query }) => {
      const { groups } = publishedYear(db, actor, params.year);
      const rows = groups
        .filter((g) => !query.group || g.key === query.group)
        .flatMap((g) => orderedRows(g, query.sort, query.filter).map((o) => present.presentSummary(params.year, g, o)));
      const w = pageWindow(query.page, rows.length);
      return { items: rows.slice(w.offset, w.offset + w.pageSize), page: w.page, pages: w.pages, total: rows.length };
    },
  }),
  endpoint({
    id: 'getScorecard',
    path: `${API_BASE}/assessment/:year/scorecards/:key`,
    tag: 'assessment',
    params: z.object({ year: ids.year, key: ObjectKeyParam }),
    response: s.Scorecard,
    run: ({ db, actor, params }) => present.presentScorecard(params.year, publishedScorecard(db, actor, params.year, params.key)),
  }),
];

/** The document itself: public (it holds no data), listed in itself like every route under the base. */
export const OPENAPI_ENDPOINT: Endpoint = {
  id: 'getOpenApi',
  path: `${API_BASE}/openapi.json`,
  tag: 'meta',
  access: 'public',
  params: z.object({}),
  query: NoQuery,
  response: z.looseObject({ openapi: z.string() }).describe('this OpenAPI 3.1 document'),
};

export const ALL_ENDPOINTS: readonly Endpoint[] = [...ENDPOINTS, OPENAPI_ENDPOINT];
