/**
 * What `npm run bench -- --soak` counts and prints: every request's latency and outcome by minute
 * and by kind of traffic, the server's resident memory over time, and the two verdicts (no error;
 * memory after warm-up grows by at most 10%).
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus, totalmem } from 'node:os';

export const SOAK_TARGETS = { errors: 0, rssGrowth: 0.1 };

export const KINDS = {
  read: 'reads: every page of `npm run bench` as its role (autocannon)',
  form: "writers' pages: edit and new forms, the page after a save",
  save: 'saves: record form POSTs (edit a fund and a project back and forth, create and delete a fund)',
  import: 'imports: template, upload, check, commit and undo of a fund CSV',
  pdf: 'scorecard PDFs (evaluator)',
} as const;
export type Kind = keyof typeof KINDS;

interface Bucket {
  times: number[];
  errors: number;
}
const bucket = (): Bucket => ({ times: [], errors: 0 });

export interface RssSample {
  /** Seconds since the traffic started. */
  at: number;
  server: number | null;
  others: number;
}

/** Every answer, by minute and by kind; the first errors in words. */
export class Tally {
  readonly startedAt = performance.now();
  readonly minutes: Bucket[];
  readonly kinds = new Map<Kind, Bucket>(Object.keys(KINDS).map((k) => [k as Kind, bucket()]));
  readonly details: string[] = [];
  readonly rss: RssSample[] = [];
  errors = 0;

  constructor(readonly minuteCount: number) {
    this.minutes = Array.from({ length: minuteCount }, bucket);
  }

  elapsedS(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** Late answers count in the last minute. */
  private buckets(kind: Kind): Bucket[] {
    return [this.minutes[Math.min(Math.floor(this.elapsedS() / 60), this.minuteCount - 1)]!, this.kinds.get(kind)!];
  }

  /** One answer and how long it took; `error` says what was wrong with it (empty: said by `note`). */
  record(kind: Kind, ms: number, error?: string): void {
    for (const b of this.buckets(kind)) b.times.push(ms);
    if (error !== undefined) this.fail(kind, error);
  }

  /** An error without an answer to time (a network error, a page without its form). */
  fail(kind: Kind, error: string): void {
    for (const b of this.buckets(kind)) b.errors++;
    this.errors++;
    if (error) this.note(`${kind}: ${error}`);
  }

  /** An error's words (autocannon counts an answer and names its page in two places). */
  note(detail: string): void {
    if (this.details.length < 30) this.details.push(`${new Date().toISOString().slice(11, 19)} ${detail}`);
  }
}

export interface Spread {
  requests: number;
  errors: number;
  p50: number;
  p99: number;
  max: number;
}

export function spread(b: Bucket): Spread {
  const sorted = Float64Array.from(b.times).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN);
  return { requests: sorted.length, errors: b.errors, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? NaN };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : NaN;
};

export interface MemoryVerdict {
  /** Minutes of warm-up, and of the final window: 5, or a quarter of a shorter run. */
  warmup: number;
  /** Median server RSS of the minute after the warm-up, and of the final window (MB). */
  reference: number;
  final: number;
  growth: number;
  /** Least-squares slope of the samples after the warm-up, MB per hour (for reading, not judged). */
  slope: number;
  ok: boolean;
}

/** Minutes of warm-up (and of the final window the memory verdict compares): 5, or a quarter of a shorter run. */
export const warmupMinutes = (minutes: number) => Math.min(5, minutes / 4);

export function memoryVerdict(samples: RssSample[], minutes: number): MemoryVerdict | null {
  const warmup = warmupMinutes(minutes);
  const points = samples.filter((s) => s.server !== null).map((s) => ({ x: s.at / 60, y: s.server! }));
  // two windows of one length: the one after warm-up against the last (a single minute could hold an import's peak)
  const reference = median(points.filter((p) => p.x >= warmup && p.x < 2 * warmup).map((p) => p.y));
  const final = median(points.filter((p) => p.x >= minutes - warmup).map((p) => p.y));
  if (Number.isNaN(reference) || Number.isNaN(final)) return null;
  const after = points.filter((p) => p.x >= warmup);
  const mx = after.reduce((a, p) => a + p.x, 0) / after.length;
  const my = after.reduce((a, p) => a + p.y, 0) / after.length;
  const sxx = after.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const slope = sxx ? (after.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0) / sxx) * 60 : 0;
  const growth = final / reference - 1;
  return { warmup, reference, final, growth, slope, ok: growth <= SOAK_TARGETS.rssGrowth };
}

const mb = (n: number | null | undefined) => (n === null || n === undefined ? 'n/a' : n.toFixed(0));
const ms = (n: number) => (Number.isNaN(n) ? '—' : n >= 100 ? n.toFixed(0) : n.toFixed(1));
const clock = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
const thousands = (n: number) => n.toLocaleString('en-US');
const pct = (n: number) => `${n >= 0 ? '+' : ''}${(n * 100).toFixed(1)}%`;

/** The server's RSS at the end of a minute (the last sample taken in it). */
const rssAt = (tally: Tally, minute: number) => tally.rss.filter((s) => s.at <= (minute + 1) * 60 + 1).at(-1);

/** The line printed as each minute ends. */
export function minuteLine(tally: Tally, minute: number): string {
  const s = spread(tally.minutes[minute]!);
  const total = tally.minutes.slice(0, minute + 1).reduce((n, m) => n + m.times.length, 0);
  const rss = rssAt(tally, minute);
  return (
    `soak: ${clock(minute + 1)} elapsed, ${thousands(s.requests)} requests (${thousands(total)} in all), ` +
    `${s.errors} errors (${tally.errors} in all), p50 ${ms(s.p50)} ms, p99 ${ms(s.p99)} ms, ` +
    `server RSS ${mb(rss?.server)} MB (browser ${mb(rss?.others)} MB)`
  );
}

export interface SoakRun {
  tally: Tally;
  minutes: number;
  connections: number;
  writers: number;
  thinkMs: number;
  pdfEveryS: number;
  importEveryS: number;
  importRows: number;
  args: string;
  dataset: string;
  memory: MemoryVerdict | null;
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** Below this many minutes memory is shown but not judged (a short run, as CI's, is too short to tell growth from warm-up). */
export const JUDGED_MINUTES = 10;

export const soakPassed = (run: SoakRun) =>
  run.tally.errors === 0 && (run.memory?.ok === true || (run.minutes < JUDGED_MINUTES && run.memory !== null));

export function verdictLines(run: SoakRun): string[] {
  const m = run.memory;
  return [
    `- **Errors** (answers other than the expected ones, and network errors): ${run.tally.errors} — target 0: ${run.tally.errors === 0 ? 'met' : 'NOT MET'}.`,
    m
      ? `- **Server RSS after warm-up**: ${mb(m.reference)} MB (median of minutes ${ms(m.warmup)}–${ms(2 * m.warmup)}) → ${mb(m.final)} MB ` +
        `(median of the last ${ms(m.warmup)} min): ${pct(m.growth)} — target ≤ +${SOAK_TARGETS.rssGrowth * 100}%: ${m.ok ? 'met' : 'NOT MET'}; ` +
        `linear fit after warm-up ${m.slope >= 0 ? '+' : ''}${m.slope.toFixed(1)} MB/hour` +
        (run.minutes < JUDGED_MINUTES ? ` (a run under ${JUDGED_MINUTES} minutes: shown, not judged).` : '.')
      : '- **Server RSS**: not measured (no /proc, or too few samples) — NOT MET.',
  ];
}

export function kindTable(tally: Tally): string {
  const rows = [...tally.kinds].map(([kind, b]) => {
    const s = spread(b);
    return `| ${KINDS[kind]} | ${thousands(s.requests)} | ${s.errors} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} |`;
  });
  return ['| traffic | requests | errors | p50 (ms) | p99 (ms) | max (ms) |', '|---|--:|--:|--:|--:|--:|', ...rows].join('\n');
}

export function minuteTable(tally: Tally): string {
  const rows = tally.minutes.map((b, i) => {
    const s = spread(b);
    const rss = rssAt(tally, i);
    return `| ${clock(i + 1)} | ${thousands(s.requests)} | ${s.errors} | ${ms(s.p50)} | ${ms(s.p99)} | ${mb(rss?.server)} | ${mb(rss?.others)} |`;
  });
  return [
    '| minute | requests | errors | p50 (ms) | p99 (ms) | server RSS (MB) | browser RSS (MB) |',
    '|--:|--:|--:|--:|--:|--:|--:|',
    ...rows,
  ].join('\n');
}

export function soakSummary(run: SoakRun, date: Date): string[] {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--untracked-files=no']) ? ' with uncommitted changes' : '';
  return [
    `Run on ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit || 'unknown'}${dirty}; ` +
      `${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}.`,
    `${run.dataset} ${run.minutes} minutes of mixed traffic against the app started as \`npm start\` does, in production mode: ` +
      `${run.connections} autocannon connections reading, ${run.writers} writers saving with ${run.thinkMs} ms between steps, ` +
      `a scorecard PDF every ${run.pdfEveryS} s and an import of ${run.importRows} funds every ${run.importEveryS} s. Command: \`npm run bench -- ${run.args}\`.`,
  ];
}

export function soakMarkdown(run: SoakRun, date: Date): string {
  return [
    '# `npm run bench -- --soak` results',
    '',
    'Generated by `npm run bench -- --soak` (scripts/bench-soak.ts); issue 13 sets the targets: no errors, and the',
    "server's resident memory after warm-up growing by at most 10%.",
    '',
    ...soakSummary(run, date),
    '',
    ...verdictLines(run),
    '',
    kindTable(run.tally),
    '',
    minuteTable(run.tally),
    '',
    ...(run.tally.details.length ? ['The first errors:', '', ...run.tally.details.map((d) => `- ${d}`), ''] : []),
  ].join('\n');
}
