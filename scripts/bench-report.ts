/**
 * The one table `npm run bench` prints and writes to bench/RESULTS.md, with issue 9's targets:
 * every page at ≥ 30% of the baseline's throughput, p99 ≤ 3× the baseline's, no errors; a pairing
 * page ≤ 5 ms for one request; peak RSS ≤ 300 MB; start ≤ 2 s. A missed target is reported, never fatal.
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';
import type { Load, Page } from './bench-pages.ts';
import type { BenchDataset, RunFiguresImport } from './bench-setup.ts';

export const TARGETS = { rpsRatio: 0.3, p99Ratio: 3, singleMs: 5, rssMb: 300, startMs: 2000, scorecardRatio: 3, importRatio: 5 };

export interface PageResult {
  page: Page;
  /** Median of sequential single requests, ms. */
  single: number;
  load: Load;
  /** The baseline runs just before and just after this page, averaged. */
  base: { rps: number; p99: number };
}

export interface RunFigures {
  options: { seconds: number; connections: number; singleRuns: number; year: number; args: string };
  data: BenchDataset;
  baselines: Load[];
  pages: PageResult[];
  rss: { app: number | null; afterStart: number | null; baseline: number | null };
  start: { healthz: number; page: number; pagePath: string };
  pdf: { cold: number; warm: number; runs: number } | { skipped: string };
  /** bench:import's lines and ratios (the whole import, and its commit alone, over a raw insert). */
  imports: RunFiguresImport;
}

const f1 = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const pct = (n: number) => `${(n * 100).toFixed(n < 0.1 ? 1 : 0)}%`;
const yes = (ok: boolean) => (ok ? 'met' : 'NOT MET');

/** The reasons a page misses its targets (empty: met). */
export function misses(r: PageResult): string[] {
  const out: string[] = [];
  if (r.load.rps < TARGETS.rpsRatio * r.base.rps) out.push('throughput');
  if (r.load.p99 > TARGETS.p99Ratio * Math.max(r.base.p99, 1)) out.push('p99');
  if (r.load.errors + r.load.timeouts > 0) out.push('errors');
  if (r.page.pairingPage && r.single > TARGETS.singleMs) out.push('1 request > 5 ms');
  return out;
}

export function pageTable(pages: PageResult[]): string {
  const head =
    '| page | as | path | 1 req (ms) | req/s | p50 (ms) | p99 (ms) | errors | baseline req/s | req/s vs baseline | p99 vs baseline | target |';
  const rule = '|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|';
  const rows = pages.map((r) => {
    const m = misses(r);
    const errors = r.load.errors + r.load.timeouts;
    const p99Ratio = r.load.p99 / Math.max(r.base.p99, 1);
    return [
      r.page.label,
      r.page.role ?? '—',
      `\`${r.page.path}\``,
      r.single.toFixed(1),
      f1(r.load.rps),
      String(r.load.p50),
      String(r.load.p99),
      r.load.timeouts ? `${errors} (${r.load.timeouts} timeouts)` : String(errors),
      f1(r.base.rps),
      pct(r.load.rps / r.base.rps),
      `${p99Ratio.toFixed(1)}×`,
      m.length ? `NOT MET (${m.join(', ')})` : 'met',
    ].join(' | ');
  });
  return [head, rule, ...rows.map((r) => `| ${r} |`)].join('\n');
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Everything besides the page table: baseline, memory, start, scorecards, PDF. */
export function otherFigures(run: RunFigures): string[] {
  const b = run.baselines;
  const rps = b.map((x) => x.rps);
  const p99 = b.map((x) => x.p99);
  const sc = run.data.scorecards;
  const lines = [
    `- **Baseline** (bare Express 5 + express-handlebars page, 50 rows of a 100,000-row table), ${b.length} runs: ` +
      `${f1(rps.reduce((a, x) => a + x, 0) / rps.length)} req/s on average (${f1(Math.min(...rps))}–${f1(Math.max(...rps))}), ` +
      `p99 ${Math.min(...p99)}–${Math.max(...p99)} ms, ${b.reduce((n, x) => n + x.errors + x.timeouts, 0)} errors.`,
    `- **Peak RSS of the server** (VmHWM, start + every load run): ${run.rss.app === null ? 'n/a' : `${f1(run.rss.app)} MB`}` +
      ` (${run.rss.afterStart === null ? '' : `${f1(run.rss.afterStart)} MB after start; `}baseline ${run.rss.baseline === null ? 'n/a' : `${f1(run.rss.baseline)} MB`})` +
      ` — target ≤ ${TARGETS.rssMb} MB: ${run.rss.app === null ? 'not measured' : yes(run.rss.app <= TARGETS.rssMb)}.`,
    `- **Start on the national database** (spawn of the start script → first 200): \`/healthz\` ${f1(run.start.healthz)} ms, ` +
      `first real page (\`${run.start.pagePath}\`, staff) ${f1(run.start.page)} ms — target ≤ ${TARGETS.startMs} ms: ${yes(run.start.page <= TARGETS.startMs)}.`,
    `- **All scorecards of ${run.options.year} vs one raw aggregation pass** (\`npm run bench:scorecards\`): ratio ${sc.ratio ?? 'n/a'}` +
      ` — target ≤ ${TARGETS.scorecardRatio}: ${sc.ratio === null ? 'not measured' : yes(sc.ratio <= TARGETS.scorecardRatio)}.`,
    ...sc.lines.filter((l) => !l.startsWith('ratio:')).map((l) => `  - ${l}`),
    pdfLine(run.pdf),
    ...importLines(run.imports),
  ];
  return lines;
}

function importLines(imports: RunFigures['imports']): string[] {
  if (!imports) return ['- **Import of 100,000 fund rows** (`npm run bench:import`): not run.'];
  return [
    `- **Import of 100,000 fund rows from CSV vs a raw insert of the same rows** (\`npm run bench:import\`, server heap settings): ` +
      `dry run + commit ${imports.ratio}× — target ≤ ${TARGETS.importRatio}: ${yes(imports.ratio <= TARGETS.importRatio)}; the commit alone ${imports.commitRatio}×.`,
    ...imports.lines.filter((l) => !l.startsWith('ratio')).map((l) => `  - ${l}`),
  ];
}

function pdfLine(pdf: RunFigures['pdf']): string {
  if ('skipped' in pdf) return `- **Scorecard PDF**: skipped — ${pdf.skipped}.`;
  return `- **Scorecard PDF** (evaluator, warm browser): ${f1(pdf.warm)} ms, median of ${pdf.runs} (the first, starting the browser: ${f1(pdf.cold)} ms).`;
}

export function summaryLines(run: RunFigures, date: Date): string[] {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) ? ' with uncommitted changes' : '';
  const o = run.options;
  return [
    `Run on ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit || 'unknown'}${dirty}; ` +
      `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}.`,
    `Dataset: ${run.data.counts.pairings} pairings, ${run.data.counts.records} rows in the five record tables (a copy; the busiest record has ${run.data.busiest.auditRows} audit rows${run.data.busiest.madeEdits ? `, ${run.data.busiest.madeEdits} edits made for the run through the records service` : ''}).`,
    `autocannon, ${o.connections} connections, ${o.seconds} s per page, each page run between two baseline runs (its ratios use their mean); ` +
      `"1 req" is the median of ${o.singleRuns} sequential requests. App in production mode behind an imagined TLS proxy (TRUST_PROXY=1, X-Forwarded-Proto: https). Command: \`npm run bench${o.args ? ` -- ${o.args}` : ''}\`.`,
  ];
}

export function markdown(run: RunFigures, date: Date): string {
  return [
    '# `npm run bench` results',
    '',
    'Generated by `npm run bench` (scripts/bench.ts); issue 9 sets the targets: every page at ≥ 30% of the',
    "baseline's throughput with p99 ≤ 3× the baseline's and no errors, a pairing page ≤ 5 ms for one request,",
    'peak RSS ≤ 300 MB, start on the national database ≤ 2 s.',
    '',
    ...summaryLines(run, date),
    '',
    pageTable(run.pages),
    '',
    ...otherFigures(run),
    '',
  ].join('\n');
}
