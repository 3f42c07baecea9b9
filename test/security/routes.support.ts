import supertest, { type Agent } from 'supertest';
import { createDb, migrateDb, type Db } from '../../db/client.ts';
import type { Role } from '../../db/schema/index.ts';
import { routeTable } from '../../server/app.ts';
import { createPassport } from '../../server/auth/auth.passport.ts';
import { openRound } from '../../server/assessment/assessment.rounds.ts';
import { createFramework } from '../../server/assessment/assessment.service.ts';
import { saveAgreement } from '../../server/agreements/agreements.service.ts';
import { createToken } from '../../server/tokens/tokens.service.ts';
import { insertNotification } from '../../server/notifications/notifications.queries.ts';
import { loadConfig } from '../../server/config.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { createLogger } from '../../server/lib/logger.ts';
import type { Access } from '../../server/lib/routes.ts';
import { recordKindKeys, type RecordKindKey } from '../../server/records/records.service.ts';
import { attachFile } from '../../server/records/records.files.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';
import { expect } from 'chai';

/**
 * The security suite walks the app's own route table, so a new route is covered without editing
 * the suite: each test below takes every route and works out what to send from its path.
 */
export interface RouteInfo {
  method: 'get' | 'post';
  path: string;
  access: Access;
  /** A read API route: JSON, a 401 instead of the login page. */
  api: boolean;
}

export function allRoutes(): RouteInfo[] {
  const db = createDb(':memory:');
  migrateDb(db);
  const deps = { db, config: loadConfig({ NODE_ENV: 'test' }), logger: createLogger('silent') };
  return routeTable(deps, createPassport(db)).map(({ method, path, access, api }) => ({
    method,
    path,
    access,
    api: api === true,
  }));
}

export const routeKey = (r: RouteInfo) => `${r.method.toUpperCase()} ${r.path}`;

/** Fills a path's parameters; a route whose parameter has no value here fails the suite on purpose. */
export function fill(path: string, params: Record<string, string | number>): string {
  return path.replace(/:(\w+)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`the security suite has no value for :${name} in ${path}; add one`);
    return encodeURIComponent(String(params[name]));
  });
}

export const YEAR = 2024;
const FIXED = () => new Date('2024-06-15T08:00:00Z');

/**
 * Two pairs of regions that do not see each other: 江苏–陕西 (the actors' own) and 广东–贵州
 * (outside 江苏's scope), each with a county pair, one record of every kind, a 2024 agreement and
 * a scorecard in the 2024 assessment.
 */
export async function routeWorld() {
  const { app, db } = buildApp(undefined, {}, FIXED);
  const js = buildJiangsuShaanxi(db);
  const gg = buildGuangdongGuizhou(db);
  const users = {
    admin: await buildUser(db, { username: 'root', role: 'admin' }),
    jiangsu: await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' }),
    shaanxi: await buildUser(db, { username: 'office.shaanxi', role: 'staff', regionCode: '610000' }),
    liaison: await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' }),
    evaluator: await buildUser(db, { username: 'eva', role: 'evaluator' }),
    evaluatorJs: await buildUser(db, { username: 'eva.js', role: 'evaluator', regionCode: '320000' }),
    /** Accounts that the user-management examples disable, reset and change. */
    victim: await buildUser(db, { username: 'office.victim', role: 'staff', regionCode: '610000' }),
    self: await buildUser(db, { username: 'office.self', role: 'staff', regionCode: '320000' }),
  };
  const records = {} as Record<'js' | 'gg', Record<RecordKindKey, number>>;
  for (const [side, pair] of [
    ['js', js],
    ['gg', gg],
  ] as const) {
    records[side] = {} as Record<RecordKindKey, number>;
    for (const kind of recordKindKeys) {
      const overrides = kind === 'projects' && side === 'gg' ? { locationCode: '520602' } : {};
      records[side][kind] = buildRecord(db, kind, pair.county.id, overrides).id;
    }
    saveAgreement(db, SYSTEM, pair.county.id, YEAR, { version: 0, fiscalFundsFen: 100_000_00 });
  }
  createFramework(db, SYSTEM, YEAR, [users.evaluator.id]);
  // an access token of 江苏's office (its own) and one of 陕西's (another user's)
  const at = new Date('2024-06-01T00:00:00Z');
  const tokens = {
    own: createToken(db, { id: users.jiangsu.id, role: 'staff', scope: '32' }, { name: '统计脚本', days: 365 }, at).id,
    foreign: createToken(db, { id: users.shaanxi.id, role: 'staff', scope: '61' }, { name: '统计脚本', days: 365 }, at).id,
  };
  openRound(db, SYSTEM, YEAR);
  // a file on each pair's transfer (江苏's own, and 广东's outside 江苏's scope)
  const pdf = { filename: '凭证.pdf', mime: 'application/pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') };
  const admin = { id: users.admin.id, role: 'admin' as const, scope: null };
  const files = {
    own: attachFile(db, admin, 'funds', records.js.funds, pdf).id,
    foreign: attachFile(db, admin, 'funds', records.gg.funds, pdf).id,
  };
  // a notification of 江苏's office (its own) and one of 陕西's (another user's)
  const notifications = { own: notifyOf(db, users.jiangsu.id), foreign: notifyOf(db, users.shaanxi.id) };
  const agents = new Map<string, Agent>();
  async function as(who: keyof typeof users | 'anonymous'): Promise<Agent> {
    if (who === 'anonymous') return supertest.agent(app);
    let agent = agents.get(who);
    if (!agent) agents.set(who, (agent = await loginAs(app, users[who])));
    return agent;
  }
  /** Parameters inside 江苏's scope (the first record kind for :kind) and outside it. */
  const params = {
    own: {
      id: js.county.id,
      rid: records.js.funds,
      kind: 'funds',
      year: YEAR,
      key: 'r.assisting.320000',
      area: 'funds',
      indicator: 'funds.fiscal',
      veto: 'veto.misuse',
      code: '320000',
      format: 'csv',
      locale: 'zh-CN',
      unit: 'wan',
      tokenId: tokens.own,
      importId: 1,
      file: 'funds.csv',
      side: 'assisting',
      nid: notifications.own,
      fid: files.own,
    },
    foreign: {
      id: gg.county.id,
      rid: records.gg.funds,
      kind: 'funds',
      year: YEAR,
      key: 'r.assisting.440000',
      area: 'funds',
      indicator: 'funds.fiscal',
      veto: 'veto.misuse',
      code: '440000',
      format: 'csv',
      locale: 'zh-CN',
      unit: 'wan',
      tokenId: tokens.foreign,
      importId: 1,
      file: 'funds.csv',
      side: 'assisting',
      nid: notifications.foreign,
      fid: files.foreign,
    },
  };
  return { app, db, js, gg, users, records, as, params };
}

let notified = 0;
/** An unread notification of the user (as the daily digest makes them), by its id. */
export function notifyOf(db: Db, userId: number): number {
  insertNotification(db, '2024-06-15', {
    userId,
    kind: 'stage',
    key: `test:${++notified}`,
    year: YEAR,
    link: `/assessment/${YEAR}`,
    params: { year: YEAR, stage: 'self' },
  });
  return db.$client.prepare('SELECT max(id) FROM notifications WHERE user_id = ?').pluck().get(userId) as number;
}

export type RouteWorld = Awaited<ReturnType<typeof routeWorld>>;

export const ROLES: Role[] = ['admin', 'staff', 'liaison', 'evaluator'];

/** The demo-like account of each role in the route world. */
export const ACCOUNT_OF: Record<Role, 'admin' | 'jiangsu' | 'liaison' | 'evaluator'> = {
  admin: 'admin',
  staff: 'jiangsu',
  liaison: 'liaison',
  evaluator: 'evaluator',
};

/** A CSRF token of the agent's session. */
export async function tokenOf(agent: Agent): Promise<string> {
  const page = await agent.get('/account/password');
  const m = /name="_csrf" value="([^"]+)"/.exec(page.text) ?? /name="_csrf" value="([^"]+)"/.exec((await agent.get('/')).text);
  if (!m?.[1]) throw new Error('no CSRF token found');
  return m[1];
}

/** A request as a user sends it: the agent, the form's action and the fields it carries. */
export interface Submission {
  agent: Agent;
  url: string;
  body: Record<string, string>;
  /** The status of a success when it is not a redirect (a page that shows what was made, once). */
  okStatus?: number;
  /** Audit rows a success writes when not one (an import's commit: one per record it changes, and its own). */
  auditRows?: number;
  /** A file to upload: the request goes as multipart/form-data, as the browser sends it. */
  file?: { field: string; name: string; type: string; content: Buffer };
}

/** Sends a submission as a browser would: a form, or multipart when it carries a file. */
export function send(s: Submission) {
  if (!s.file) return s.agent.post(s.url).type('form').send(s.body);
  let req = s.agent.post(s.url);
  for (const [k, v] of Object.entries(s.body)) req = req.field(k, v);
  return req.attach(s.file.field, s.file.content, { filename: s.file.name, contentType: s.file.type });
}

/** Opens `page` as `who`, takes the form that posts to `action`, and fills in `changes`. */
export async function viaForm(
  w: RouteWorld,
  who: Parameters<RouteWorld['as']>[0],
  page: string,
  action: string,
  changes: Record<string, string> = {},
): Promise<Submission> {
  const agent = await w.as(who);
  const res = await agent.get(page);
  expect(res.status, `GET ${page}`).to.equal(200);
  const form = formFor(res.text, action);
  if (!form) throw new Error(`${page} offers no form posting to ${action}`);
  return { agent, url: form.action, body: { ...form.fields, ...changes } };
}
