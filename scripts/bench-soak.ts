/**
 * npm run bench -- --soak [--soak-minutes 30 --db data/national.db --year 2024 --connections 12 --writers 2
 *   --pdf-every 30 --import-every 180 --import-rows 40 --think 1000 --out FILE]
 * Issue 13's soak: on a copy of the national dataset prepared as `npm run bench` prepares it, the app
 * started as `npm start` does (production mode, its heap flags) gets minutes of mixed traffic —
 * autocannon reading every page of the bench as its role, writers saving record forms, a scorecard
 * PDF every half minute, an import (upload, check, commit, undo) every few minutes. Prints each
 * minute's requests, errors, p50/p99 and the server's RSS; at the end the figures per kind of
 * traffic and the memory verdict. Writes the table to bench/SOAK.md (a shortened run: only to --out).
 * Exits 1 on any error or when the server's RSS after warm-up grows by more than 10%.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { createDb } from '../db/client.ts';
import { loadSessionUser } from '../server/auth/auth.service.ts';
import type { RecordKindKey } from '../server/records/records.kinds.ts';
import { getRecord } from '../server/records/records.service.ts';
import { login, pageList, resolveScorecard, send } from './bench-pages.ts';
import { rssMb, startApp, stop, waitFor, type Child } from './bench-server.ts';
import {
  BENCH_ACCOUNTS,
  benchScorecards,
  copyNational,
  prepareDataset,
  type BenchDataset,
  type BenchRole,
} from './bench-setup.ts';
import {
  kindTable,
  memoryVerdict,
  minuteLine,
  minuteTable,
  soakMarkdown,
  soakPassed,
  Tally,
  verdictLines,
  warmupMinutes,
  type SoakRun,
} from './bench-soak-report.ts';
import { Client, importRound, printer, reads, sleep, writer, type Target } from './bench-soak-traffic.ts';

const FULL_MINUTES = 30;

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      soak: { type: 'boolean' },
      'soak-minutes': { type: 'string', default: String(FULL_MINUTES) },
      db: { type: 'string', default: 'data/national.db' },
      year: { type: 'string', default: '2024' },
      connections: { type: 'string', default: '12' },
      writers: { type: 'string', default: '2' },
      'pdf-every': { type: 'string', default: '30' },
      'import-every': { type: 'string', default: '180' },
      'import-rows': { type: 'string', default: '40' },
      think: { type: 'string', default: '1000' },
      out: { type: 'string' },
    },
  });
  const minutes = Number(values['soak-minutes']);
  if (!Number.isInteger(minutes) || minutes < 2) throw new Error('bench: --soak-minutes wants a whole number ≥ 2');
  return {
    minutes,
    db: values.db,
    year: Number(values.year),
    connections: Number(values.connections),
    writers: Math.min(2, Math.max(1, Number(values.writers))),
    pdfEveryS: Number(values['pdf-every']),
    importEveryS: Number(values['import-every']),
    importRows: Number(values['import-rows']),
    thinkMs: Number(values.think),
    out: values.out ?? (minutes >= FULL_MINUTES ? 'bench/SOAK.md' : undefined),
  };
}

/**
 * What the writers change, none the record `npm run bench` reads the history of: a 江苏 county fund
 * the staff account may edit, a 江苏 project for the admin, and four 江苏 county pairs to import onto.
 */
function soakTargets(path: string, data: BenchDataset): { edits: Target[]; importOnto: number[] } {
  const db = createDb(path);
  try {
    const actor = (username: string) => {
      const id = db.$client.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number;
      return loadSessionUser(db, id)!;
    };
    const editable = (kind: RecordKindKey, username: string): Target => {
      const ids = db.$client
        .prepare(
          `SELECT r.id FROM ${kind} r JOIN pairings p ON p.id = r.pairing_id WHERE p.assisting_code LIKE '32%' AND p.level = 'county' AND r.deleted_at IS NULL AND r.id <> ? ORDER BY r.id LIMIT 50`,
        )
        .pluck()
        .all(data.busiest.kind === kind ? data.busiest.id : 0) as number[];
      const id = ids.find((i) => getRecord(db, actor(username), kind, i).can.edit);
      if (id === undefined) throw new Error(`bench: no ${kind} record of 江苏 that ${username} may edit`);
      return { kind, id };
    };
    const importOnto = db.$client
      .prepare(
        "SELECT id FROM pairings WHERE level = 'county' AND assisting_code LIKE '32%' AND deleted_at IS NULL ORDER BY id LIMIT 4",
      )
      .pluck()
      .all() as number[];
    return {
      edits: [editable('funds', BENCH_ACCOUNTS.staff.username), editable('projects', BENCH_ACCOUNTS.admin.username)],
      importOnto,
    };
  } finally {
    db.$client.close();
  }
}

/** Runs the soak; the exit code. */
export async function soak(argv: string[]): Promise<number> {
  const o = options(argv);
  const log = (line: string) => console.log(`soak: ${line}`);
  const dir = mkdtempSync(join(tmpdir(), 'ewc-soak-'));
  let app: Child | undefined;
  // Ctrl-C on a half-hour run: the app (its own process group) is stopped and the copy removed, as at the end
  const interrupted = () => {
    void (async () => {
      if (app) await stop(app);
      rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    })();
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const path = copyNational(o.db, dir);
    log(`copied ${o.db}; writing the ${o.year} framework (npm run bench:scorecards) and the accounts …`);
    const data = await prepareDataset(path, o.year, benchScorecards(path, o.year, 1));
    const targets = soakTargets(path, data);
    app = await startApp(path, dir);
    await waitFor(app, '/healthz');
    const base = app.base;
    const cookies = {} as Record<BenchRole, string>;
    for (const role of Object.keys(BENCH_ACCOUNTS) as BenchRole[]) cookies[role] = await login(base, role);
    const scorecard = await resolveScorecard(base, cookies.evaluator, o.year);
    const pages = pageList(data, o.year).map((p) => ({
      key: p.key,
      path: p.key === 'scorecard' ? scorecard : p.path,
      cookie: p.role ? cookies[p.role] : undefined,
    }));
    for (const p of pages) await send(base, p.path, { cookie: p.cookie }); // first views, not counted

    const tally = new Tally(o.minutes);
    const deadline = tally.startedAt + o.minutes * 60_000;
    const live = () => performance.now() < deadline;
    const client = async (role: BenchRole) => new Client(base, await login(base, role), tally);
    const writerRoles: BenchRole[] = ['staff', 'admin'];
    const writers = await Promise.all(writerRoles.slice(0, o.writers).map(client));
    const [importer, evaluator] = [await client('staff'), await client('evaluator')];
    log(
      `${o.minutes} minutes: ${o.connections} connections reading ${pages.length} pages, ${o.writers} writers, ` +
        `a PDF every ${o.pdfEveryS} s, an import every ${o.importEveryS} s`,
    );
    const sample = () => tally.rss.push({ at: tally.elapsedS(), ...rssMb(app!) });
    sample();
    // the first import (which starts its worker thread) and the first PDF fall in the warm-up
    const firstImportS = Math.min(o.importEveryS, warmupMinutes(o.minutes) * 60) / 2;
    const reading = reads(base, pages, o.connections, o.minutes * 60, tally);
    const traffic = [
      ...writers.map((c, n) => writer(c, n, targets.edits[n]!, data.pairings.county, live, o.thinkMs)),
      printer(evaluator, `${scorecard}/pdf`, live, o.pdfEveryS),
      (async () => {
        for (let round = 0; live(); round++) {
          const at = tally.startedAt + (firstImportS + round * o.importEveryS) * 1000;
          while (live() && performance.now() < at) await sleep(Math.min(1000, at - performance.now()));
          if (live()) await importRound(importer, round, targets.importOnto, o.year, o.importRows);
        }
      })(),
      (async () => {
        for (let s = 10; s <= o.minutes * 60; s += 10) {
          await sleep(tally.startedAt + s * 1000 - performance.now());
          sample();
          if (s % 60 === 0) console.log(minuteLine(tally, s / 60 - 1));
        }
      })(),
    ];
    await Promise.all(traffic);
    reading.stop();
    await reading.done;
    if (app.proc.exitCode !== null) tally.fail('read', `the server exited (${app.proc.exitCode}) during the soak`);

    const run: SoakRun = {
      tally,
      minutes: o.minutes,
      connections: o.connections,
      writers: o.writers,
      thinkMs: o.thinkMs,
      pdfEveryS: o.pdfEveryS,
      importEveryS: o.importEveryS,
      importRows: o.importRows,
      args: argv.join(' '),
      dataset: `Dataset: ${data.counts.pairings} pairings, ${data.counts.records} rows in the five record tables (a copy).`,
      memory: memoryVerdict(tally.rss, o.minutes),
    };
    const date = new Date();
    console.log(['', ...verdictLines(run), '', kindTable(tally), '', minuteTable(tally), ''].join('\n'));
    if (tally.details.length) console.log(['The first errors:', ...tally.details.map((d) => `  ${d}`), ''].join('\n'));
    if (o.out) {
      mkdirSync(dirname(o.out), { recursive: true });
      const format = { ...(await prettier.resolveConfig(o.out)), filepath: o.out };
      writeFileSync(o.out, await prettier.format(soakMarkdown(run, date), format));
      log(`written to ${o.out}`);
    }
    return soakPassed(run) ? 0 : 1;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    try {
      if (app) console.error(`--- ${app.log} (last lines)\n${readFileSync(app.log, 'utf8').split('\n').slice(-15).join('\n')}`);
    } catch {
      // no log yet
    }
    return 1;
  } finally {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    if (app) await stop(app);
    rmSync(dir, { recursive: true, force: true });
  }
}
