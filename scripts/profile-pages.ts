/**
 * npx tsx scripts/profile-pages.ts [--db /tmp/national-copy.db] [--runs 40] [--only pairing]
 * Times one request of each page (median of sequential requests, after warm-up) against the app in
 * production mode on a national database, beside a bare Express + handlebars page rendering 50 rows
 * of a 100k-row table. For finding slow pages; `npm run bench` measures throughput under load.
 * Writes to the database (profiling accounts, sessions): give it a copy.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import express from 'express';
import Handlebars from 'handlebars';
import * as client from '../db/client.ts';

const { createDb, migrateDb } = client;
import { openRound } from '../server/assessment/assessment.rounds.ts';
import { createFramework } from '../server/assessment/assessment.service.ts';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { SYSTEM } from '../server/lib/actor.ts';
import { createLogger } from '../server/lib/logger.ts';
import { createUser } from '../server/users/users.service.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: '/tmp/national-profile.db' },
    runs: { type: 'string', default: '40' },
    only: { type: 'string' },
  },
});
const runs = Number(values.runs);
// express turns its view cache on from the process environment, as `npm start` in production has it
process.env.NODE_ENV = 'production';
const PASSWORD = 'profile-pages-password-1';

const listen = (server: Server) =>
  new Promise<string>((ok) =>
    server.listen(0, '127.0.0.1', () => ok(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

function baselineServer(): Server {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, amount INTEGER)');
  const insert = sqlite.prepare('INSERT INTO items (name, amount) VALUES (?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; i < 100_000; i++) insert.run(`item ${i}`, i * 7);
  })();
  const page = sqlite.prepare('SELECT * FROM items ORDER BY id DESC LIMIT 50 OFFSET ?');
  const layout = Handlebars.compile('<!doctype html><html><head><title>{{title}}</title></head><body>{{{body}}}</body></html>');
  const body = Handlebars.compile(
    '<table>{{#each rows}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{amount}}</td></tr>{{/each}}</table>',
  );
  const app = express();
  app.get('/', (req, res) => {
    const rows = page.all(Number(req.query.o ?? 0));
    res.send(layout({ title: 'bare', body: body({ rows }) }));
  });
  return createServer(app);
}

/** A cookie jar of one: the session cookie, sent as over HTTPS behind one proxy. */
async function login(base: string, username: string): Promise<string> {
  const headers = { 'x-forwarded-proto': 'https' };
  const page = await fetch(`${base}/login`, { headers });
  const cookies = page.headers.getSetCookie().map((c) => c.split(';')[0]);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie: cookies.join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password: PASSWORD, _csrf: csrf }).toString(),
  });
  if (res.status !== 302) throw new Error(`login of ${username}: ${res.status}`);
  const sid = res.headers.getSetCookie().find((c) => c.startsWith('ewc.sid='))!;
  return sid.split(';')[0]!;
}

async function time(url: string, cookie: string | undefined): Promise<{ median: number; p90: number; status: number }> {
  const headers: Record<string, string> = { 'x-forwarded-proto': 'https', ...(cookie ? { cookie } : {}) };
  let status = 0;
  const ms: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const t0 = performance.now();
    const res = await fetch(url, { headers, redirect: 'manual' });
    await res.arrayBuffer();
    status = res.status;
    if (i >= 5) ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(ms.length / 2)]!, p90: ms[Math.floor(ms.length * 0.9)]!, status };
}

const db = createDb(values.db);
migrateDb(db);
// as main.ts does at start (absent before issue 9)
(client as { optimizeDb?: (d: typeof db) => void }).optimizeDb?.(db);
const sqlite = db.$client;
for (const [username, role, regionCode] of [
  ['prof.admin', 'admin', null],
  ['prof.staff', 'staff', '320000'],
  ['prof.eval', 'evaluator', null],
] as const) {
  if (!sqlite.prepare('SELECT 1 FROM users WHERE username = ?').get(username))
    await createUser(db, null, {
      username,
      displayName: username,
      role,
      regionCode,
      password: PASSWORD,
      passwordConfirm: PASSWORD,
    });
}
// the year's framework and round, as scripts/bench-setup.ts prepares them (`npm run bench:scorecards`
// on the copy first gives the national framework: 1,373 objects)
const YEAR = 2024;
if (!sqlite.prepare('SELECT 1 FROM assessment_frameworks WHERE year = ?').get(YEAR)) {
  const evaluator = sqlite.prepare("SELECT id FROM users WHERE username = 'prof.eval'").get() as { id: number };
  createFramework(db, SYSTEM, YEAR, [evaluator.id]);
}
if (!sqlite.prepare('SELECT 1 FROM assessment_rounds WHERE year = ?').get(YEAR)) openRound(db, SYSTEM, YEAR);
const config = loadConfig({ NODE_ENV: 'production', TRUST_PROXY: '1', DATABASE_PATH: values.db, SESSION_SECRET: 'x'.repeat(40) });
const app = createApp({ db, config, logger: createLogger('silent') });
const appServer = createServer(app);
const base = await listen(appServer);
const bare = baselineServer();
const bareBase = await listen(bare);

const one = <T>(q: string) => sqlite.prepare(q).get() as T;
const province = one<{ id: number }>("SELECT id FROM pairings WHERE level = 'province' AND assisting_code = '320000'").id;
const county = one<{ id: number }>("SELECT id FROM pairings WHERE level = 'county' AND assisting_code LIKE '32%' ORDER BY id").id;
const pairup = one<{ id: number }>("SELECT id FROM pairings WHERE level = 'pairup' AND assisting_code LIKE '32%' ORDER BY id").id;
const fund = one<{ id: number }>(
  "SELECT f.id FROM funds f JOIN pairings p ON p.id = f.pairing_id WHERE p.assisting_code LIKE '32%' ORDER BY f.id",
).id;

const staff = await login(base, 'prof.staff');
const admin = await login(base, 'prof.admin');
const evaluator = await login(base, 'prof.eval');
const league = await (
  await fetch(`${base}/assessment/${YEAR}`, { headers: { 'x-forwarded-proto': 'https', cookie: evaluator } })
).text();
const scorecardPath = new RegExp(`href="(/assessment/${YEAR}/scorecards/[^"/?]+)"`).exec(league)?.[1];
const pages: [string, string, string | undefined][] = [
  ['bare baseline', `${bareBase}/`, undefined],
  ['login', `${base}/login`, undefined],
  ['home (staff)', `${base}/`, staff],
  ['healthz', `${base}/healthz`, undefined],
  ['pairing list (staff)', `${base}/pairings`, staff],
  ['pairing list (admin)', `${base}/pairings`, admin],
  ['pairing list p.100 (admin)', `${base}/pairings?page=100`, admin],
  ['province pairing (staff)', `${base}/pairings/${province}`, staff],
  ['province pairing (admin)', `${base}/pairings/${province}`, admin],
  ['county pairing (staff)', `${base}/pairings/${county}`, staff],
  ['pair-up (staff)', `${base}/pairings/${pairup}`, staff],
  ['pairing history (staff)', `${base}/pairings/${province}/history`, staff],
  ...['funds', 'talents', 'projects', 'labour', 'consumption'].flatMap((k): [string, string, string][] => [
    [`${k} list (staff)`, `${base}/records/${k}`, staff],
    [`${k} list (admin)`, `${base}/records/${k}`, admin],
    [`${k} 2024 + 3205 (staff)`, `${base}/records/${k}?year=2024&region=320500`, staff],
  ]),
  ['funds list p.500 (admin)', `${base}/records/funds?page=500`, admin],
  ['funds oldest (admin)', `${base}/records/funds?sort=oldest`, admin],
  ['fund record + history (staff)', `${base}/records/funds/${fund}`, staff],
  ['region list (staff)', `${base}/regions`, staff],
  ['region 320000 (staff)', `${base}/regions/320000`, staff],
  [`league ${YEAR} (evaluator)`, `${base}/assessment/${YEAR}`, evaluator],
  ...(scorecardPath ? [['scorecard (evaluator)', `${base}${scorecardPath}`, evaluator] as [string, string, string]] : []),
];
console.log(`${'page'.padEnd(34)} ${'status'.padStart(6)} ${'median ms'.padStart(10)} ${'p90 ms'.padStart(8)}`);
for (const [name, url, cookie] of pages) {
  if (values.only && !name.includes(values.only)) continue;
  const r = await time(url, cookie);
  console.log(
    `${name.padEnd(34)} ${String(r.status).padStart(6)} ${r.median.toFixed(2).padStart(10)} ${r.p90.toFixed(2).padStart(8)}`,
  );
}
appServer.close();
bare.close();
db.$client.close();
