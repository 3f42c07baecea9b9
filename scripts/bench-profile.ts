/**
 * npm run bench:profile -- --pages home-staff,province [--seconds 10] [--db data/national.db]
 * Profile first: starts the app as `npm run bench` does, with V8's CPU profiler on, drives each
 * page under load, then prints where the time went: the hottest functions by self time and the
 * time per package (node_modules/<name>, the app's own folders, Node's internals).
 * The .cpuprofile files stay in the printed folder (open them in Chrome's DevTools).
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { load, login, pageList, resolveScorecard } from './bench-pages.ts';
import { startApp, stop, waitFor } from './bench-server.ts';
import { BENCH_ACCOUNTS, benchScorecards, copyNational, prepareDataset, type BenchRole } from './bench-setup.ts';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/national.db' },
    year: { type: 'string', default: '2024' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    pages: { type: 'string', default: 'home-staff' },
    top: { type: 'string', default: '30' },
    /** More flags for node, e.g. --node-args=--trace-gc (its lines land in the app's log, printed at the end). */
    'node-args': { type: 'string', default: '' },
  },
});
const year = Number(values.year);
const dir = mkdtempSync(join(tmpdir(), 'ewc-profile-'));
const profDir = join(dir, 'profiles');
const path = copyNational(values.db, dir);
// the same dataset as `npm run bench`: its scorecard timing also writes the year's framework (every
// province, city and county pair scored), which makes the league and scorecard pages what they are there
const data = await prepareDataset(path, year, benchScorecards(path, year, 1));
// node itself with the profiler (NODE_OPTIONS refuses --cpu-prof); the same server as `npm start` runs
const app = await startApp(
  path,
  dir,
  `exec node --cpu-prof --cpu-prof-dir=${profDir} ${values['node-args']} --import tsx server/main.ts`,
);
try {
  await waitFor(app, '/healthz');
  const cookies = {} as Record<BenchRole, string>;
  for (const role of Object.keys(BENCH_ACCOUNTS) as BenchRole[]) cookies[role] = await login(app.base, role);
  const all = pageList(data, year);
  for (const key of values.pages.split(',')) {
    const page = all.find((p) => p.key === key);
    if (!page) throw new Error(`no page ${key}`);
    const path = key === 'scorecard' ? await resolveScorecard(app.base, cookies.evaluator, year) : page.path;
    const r = await load(
      app.base + path,
      page.role ? cookies[page.role] : undefined,
      Number(values.seconds),
      Number(values.connections),
    );
    console.log(`${key}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, ${r.errors} errors`);
  }
} finally {
  await stop(app);
}
if (values['node-args']) console.log(`the app's output (with what the node flags printed): ${app.log}`);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}
const owner = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  const app = /\/(server|db|views)\/(.*?)[^/]*$/.exec(url);
  if (app) return `${app[1]}/${app[2]}`;
  return url.startsWith('node:') ? url : url ? 'other' : '(vm)';
};
// the biggest profile is the server's (tsx's CLI process is the other one)
const files = readdirSync(profDir).map((f) => join(profDir, f));
const profiles = files
  .map((f) => JSON.parse(readFileSync(f, 'utf8')) as Profile)
  .sort((a, b) => b.samples.length - a.samples.length);
const prof = profiles[0]!;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, us] of self) {
  const { callFrame: c } = byId.get(id)!;
  const key = `${c.functionName || '(anonymous)'} ${owner(c.url)}:${c.lineNumber + 1}`;
  fn.set(key, (fn.get(key) ?? 0) + us);
  pkg.set(owner(c.url), (pkg.get(owner(c.url)) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const top = Number(values.top);
console.log(`\nprofile ${files[0]} — ${(total / 1e6).toFixed(1)} s sampled\n\nby package:`);
for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log('\nby function (self):');
for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(us)}  ${k}`);
console.log(`\nprofiles kept in ${profDir}`);
