/**
 * npm run bench [-- --db data/national.db --year 2024 --duration 10 --connections 32 --pages a,b --quick --out FILE]
 * Issue 9's benchmark in one command: builds (or reuses) the national dataset, copies it, prepares
 * accounts and history through the services, starts the app in production mode and a bare baseline
 * server, and drives both with autocannon, interleaved baseline/page/baseline so drift cancels.
 * Prints one table and writes it to bench/RESULTS.md (with --quick, 3 s per page: written only to --out).
 * Exits 0 when a target is missed (the table says so), 1 when a page errors.
 * With --soak, issue 13's soak instead (scripts/bench-soak.ts, its own options).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { load, login, pageList, PROXY_HEADERS, resolveScorecard, send, singleRequest, median, type Load } from './bench-pages.ts';
import { markdown, misses, otherFigures, pageTable, summaryLines, type PageResult, type RunFigures } from './bench-report.ts';
import { peakRssMb, startApp, startBaseline, stop, waitFor, type Child } from './bench-server.ts';
import { BENCH_ACCOUNTS, benchImport, benchScorecards, copyNational, prepareDataset, type BenchRole } from './bench-setup.ts';

if (process.argv.includes('--soak')) {
  const { soak } = await import('./bench-soak.ts');
  process.exit(await soak(process.argv.slice(2)));
}

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'data/national.db' },
    year: { type: 'string', default: '2024' },
    duration: { type: 'string' },
    connections: { type: 'string', default: '32' },
    pages: { type: 'string' },
    quick: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const year = Number(values.year);
const seconds = Number(values.duration ?? (values.quick ? 3 : 10));
const connections = Number(values.connections);
const singleRuns = values.quick ? 10 : 20;
const out = values.out ?? (values.quick ? undefined : 'bench/RESULTS.md');
const args = process.argv.slice(2).join(' ');
const log = (line: string) => console.log(`bench: ${line}`);

const dir = mkdtempSync(join(tmpdir(), 'ewc-bench-'));
const children: Child[] = [];
let failed = false;
try {
  const path = copyNational(values.db, dir);
  log(`copied ${values.db} to ${path}; timing every scorecard of ${year} (npm run bench:scorecards) …`);
  const scorecards = benchScorecards(path, year, values.quick ? 3 : 11);
  const data = await prepareDataset(path, year, scorecards);
  log('timing an import of 100,000 fund rows against a raw insert (npm run bench:import) …');
  const imports = benchImport(values.quick ? 1 : 3);
  log(imports.lines.join('; '));

  const baseline = await startBaseline(dir);
  children.push(baseline);
  await waitFor(baseline, '/');

  // First start: sign every role in (sessions live in the database, so they outlast a restart).
  let app = await startApp(path, dir);
  children.push(app);
  await waitFor(app, '/healthz');
  const cookies = {} as Record<BenchRole, string>;
  for (const role of Object.keys(BENCH_ACCOUNTS) as BenchRole[]) cookies[role] = await login(app.base, role);
  const scorecardPath = await resolveScorecard(app.base, cookies.evaluator, year);
  await stop(app);

  // Second start, timed: spawn → first 200 of /healthz, then of a real page on the national data.
  app = await startApp(path, dir);
  children.push(app);
  const healthz = await waitFor(app, '/healthz');
  const startPage = await waitFor(app, '/pairings', { ...PROXY_HEADERS, cookie: cookies.staff });
  const afterStart = peakRssMb(app);
  log(`started: /healthz ${healthz.toFixed(0)} ms, /pairings ${startPage.toFixed(0)} ms`);

  const all = pageList(data, year).map((p) => (p.key === 'scorecard' ? { ...p, path: scorecardPath } : p));
  const wanted = values.pages?.split(',').map((s) => s.trim());
  const unknown = wanted?.filter((k) => !all.some((p) => p.key === k)) ?? [];
  if (unknown.length) throw new Error(`bench: no page ${unknown.join(', ')}; the pages: ${all.map((p) => p.key).join(', ')}`);
  const pages = all.filter((p) => !wanted || wanted.includes(p.key));

  const singles = new Map<string, number>();
  for (const p of pages)
    singles.set(p.key, await singleRequest(app.base, p.path, p.role ? cookies[p.role] : undefined, singleRuns));

  await load(baseline.base + '/', undefined, 1, connections); // warm-up, not counted
  const baselines: Load[] = [await load(baseline.base + '/', undefined, seconds, connections)];
  const results: PageResult[] = [];
  for (const [i, p] of pages.entries()) {
    const result = await load(app.base + p.path, p.role ? cookies[p.role] : undefined, seconds, connections);
    baselines.push(await load(baseline.base + '/', undefined, seconds, connections));
    const [before, after] = [baselines[i]!, baselines[i + 1]!];
    const r: PageResult = {
      page: p,
      single: singles.get(p.key)!,
      load: result,
      base: { rps: (before.rps + after.rps) / 2, p99: (before.p99 + after.p99) / 2 },
    };
    results.push(r);
    const m = misses(r);
    log(
      `${p.key}: ${result.rps.toFixed(1)} req/s (baseline ${r.base.rps.toFixed(0)}), p99 ${result.p99} ms, ` +
        `1 req ${r.single.toFixed(1)} ms, ${result.errors + result.timeouts} errors — ${m.length ? `NOT MET (${m.join(', ')})` : 'met'}`,
    );
    if (result.errors > 0) failed = true;
  }
  const rss = { app: peakRssMb(app), afterStart, baseline: peakRssMb(baseline) };

  // One scorecard PDF: the first print starts the browser; the next ones find it warm.
  let pdf: RunFigures['pdf'];
  const pdfPath = `${scorecardPath}/pdf`;
  const t0 = performance.now();
  const first = await send(app.base, pdfPath, { cookie: cookies.evaluator });
  const cold = performance.now() - t0;
  if (first.status === 200) {
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const reply = await send(app.base, pdfPath, { cookie: cookies.evaluator });
      if (reply.status !== 200) throw new Error(`bench: ${pdfPath} answered ${reply.status}`);
      warm.push(performance.now() - t);
    }
    pdf = { cold, warm: median(warm), runs: warm.length };
  } else {
    pdf = { skipped: `${pdfPath} answered ${first.status} (no browser available to print with?)` };
  }

  const run: RunFigures = {
    options: { seconds, connections, singleRuns, year, args },
    data,
    baselines,
    pages: results,
    rss,
    start: { healthz, page: startPage, pagePath: '/pairings' },
    pdf,
    imports,
  };
  const date = new Date();
  console.log(['', ...summaryLines(run, date), '', pageTable(results), '', ...otherFigures(run), ''].join('\n'));
  if (out) {
    mkdirSync(dirname(out), { recursive: true });
    // formatted as `npm run lint` (prettier --check .) expects the committed file to be
    writeFileSync(out, await prettier.format(markdown(run, date), { ...(await prettier.resolveConfig(out)), filepath: out }));
    log(`written to ${out}`);
  }
  if (failed) console.error('bench: a page answered with errors under load (see the errors column)');
} catch (err) {
  failed = true;
  console.error(err instanceof Error ? err.message : err);
  for (const c of children.slice(-2)) {
    try {
      console.error(`--- ${c.log} (last lines)\n${readFileSync(c.log, 'utf8').split('\n').slice(-15).join('\n')}`);
    } catch {
      // no log yet
    }
  }
} finally {
  for (const c of children) await stop(c);
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
