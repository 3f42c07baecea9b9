/**
 * npm run bench:import [-- --rows 100000 --runs 3]
 * Times importing fund rows from a CSV (the dry run, then the commit in one transaction) against
 * inserting the same rows with raw prepared statements in one transaction, each into a fresh file
 * database with the region tree and 40 county pairs, and prints the ratios and the peak RSS.
 * Target (issue 10): the whole import at most 5× the raw insert.
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDb, migrateDb, type Db } from '../db/client.ts';
import { columnsOf } from '../server/exchange/exchange.columns.ts';
import { recordSheet } from '../server/exchange/exchange.sheets.ts';
import { startImport } from '../server/exchange/imports.service.ts';
import { commitImportOffThread, undoImportOffThread, warmImportThread } from '../server/exchange/imports.thread.ts';
import { SYSTEM } from '../server/lib/actor.ts';
import { createPairing } from '../server/pairings/pairings.service.ts';
import { RECORD_KINDS } from '../server/records/records.service.ts';
import { loadRegionTree } from '../server/regions/regions.loader.ts';
import { createUser } from '../server/users/users.service.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' } },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const dir = mkdtempSync(join(tmpdir(), 'ewc-bench-import-'));
const log = (s: string) => process.stderr.write(`${s}\n`);

/** A fresh database with the regions and 40 county pairs of 江苏 → 陕西 (codes of real counties). */
async function freshDb(name: string): Promise<{ db: Db; pairings: number[]; userId: number }> {
  const db = createDb(join(dir, name));
  migrateDb(db);
  loadRegionTree(db);
  const east = db.$client
    .prepare("SELECT code FROM regions WHERE level = 'county' AND code LIKE '32%' ORDER BY code LIMIT 40")
    .pluck()
    .all() as string[];
  const west = db.$client
    .prepare("SELECT code FROM regions WHERE level = 'county' AND code LIKE '61%' ORDER BY code LIMIT 40")
    .pluck()
    .all() as string[];
  const pairings = east.map(
    (a, i) =>
      createPairing(db, SYSTEM, {
        level: 'county',
        assistingCode: a,
        assistedCode: west[i]!,
        startYear: 2021,
        status: 'active',
        outsideZones: false,
      }).id,
  );
  const { id } = await createUser(db, null, {
    username: 'office.bench',
    displayName: '压测',
    role: 'admin',
    regionCode: null,
    password: 'Bench-import-2024x',
    passwordConfirm: 'Bench-import-2024x',
  });
  return { db, pairings, userId: id };
}

interface Row {
  pairingId: number;
  date: string;
  kind: 'fiscal' | 'social';
  committedFen: number;
  purpose: string;
  ref: string;
}

function rowsFor(pairings: number[]): Row[] {
  return Array.from({ length: ROWS }, (_, i) => ({
    pairingId: pairings[i % pairings.length]!,
    date: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    kind: i % 3 ? 'fiscal' : 'social',
    committedFen: (i % 500) * 10_000 + 1_000_000,
    purpose: `产业帮扶项目第${i}号`,
    ref: `B-${i}`,
  }));
}

/** The CSV written line by line to a file (the harness holds no copy of it while the import runs). */
function writeCsvFile(path: string, rows: Row[]): number {
  const columns = columnsOf(recordSheet(RECORD_KINDS.funds));
  const cells = (r: Row): Record<string, string | number> => ({
    pairing: r.pairingId,
    year: 2024,
    date: r.date,
    kind: r.kind,
    form: 'money',
    'committedFen:wan': r.committedFen / 1_000_000,
    purpose: r.purpose,
    ref: r.ref,
  });
  const fd = openSync(path, 'w');
  let bytes = 0;
  const put = (cellsOfLine: string[]) => (bytes += writeSync(fd, `${cellsOfLine.join(',')}\r\n`));
  put(columns.map((c) => c.label));
  put(columns.map((c) => c.key));
  for (const r of rows) {
    const v = cells(r);
    put(columns.map((c) => String(v[c.key] ?? '')));
  }
  closeSync(fd);
  return bytes;
}

function rawInsert(db: Db, rows: Row[]): number {
  const insert = db.$client.prepare(
    `INSERT INTO funds (pairing_id, year, date, ref, side, kind, form, committed_fen, disbursed_fen, purpose)
     VALUES (?, 2024, ?, ?, 'assisting', ?, 'money', ?, 0, ?)`,
  );
  const t0 = performance.now();
  db.$client.transaction(() => {
    for (const r of rows) insert.run(r.pairingId, r.date, r.ref, r.kind, r.committedFen, r.purpose);
  })();
  return performance.now() - t0;
}

async function importCsv(db: Db, userId: number, path: string, bytes: number) {
  const actor = { id: userId, role: 'admin' as const, scope: null };
  const t0 = performance.now();
  const { entry, done } = startImport(db, actor, 'funds', { path, name: 'funds.csv', bytes, head: Buffer.from('平台') });
  // as the upload's route does: the commit's thread starts while the rows are checked
  warmImportThread(db);
  await done;
  const t1 = performance.now();
  // as the app commits: in the worker thread, on a connection of its own; how long this thread's
  // event loop (every other request) waited at most meanwhile
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  await commitImportOffThread(db, actor, entry.id);
  lag.disable();
  const t2 = performance.now();
  const count = db.$client.prepare('SELECT count(*) FROM funds').pluck().get() as number;
  if (count !== ROWS) throw new Error(`the import stored ${count} of ${ROWS} rows`);
  // and back: the undo of every row (not part of the ratio)
  const undoLag = monitorEventLoopDelay({ resolution: 10 });
  undoLag.enable();
  await undoImportOffThread(db, actor, entry.id);
  undoLag.disable();
  const t3 = performance.now();
  const left = db.$client.prepare('SELECT count(*) FROM funds').pluck().get() as number;
  if (left !== 0) throw new Error(`the undo left ${left} rows`);
  return { check: t1 - t0, commit: t2 - t1, undo: t3 - t2, lag: Math.max(lag.max, undoLag.max) / 1e6 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const raw: number[] = [];
const check: number[] = [];
const commit: number[] = [];
const lags: number[] = [];
const undos: number[] = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const a = await freshDb(`raw-${run}.db`);
    raw.push(rawInsert(a.db, rowsFor(a.pairings)));
    a.db.$client.close();
    const b = await freshDb(`import-${run}.db`);
    const path = join(dir, `funds-${run}.csv`);
    const bytes = writeCsvFile(path, rowsFor(b.pairings));
    const t = await importCsv(b.db, b.userId, path, bytes);
    check.push(t.check);
    commit.push(t.commit);
    lags.push(t.lag);
    undos.push(t.undo);
    b.db.$client.close();
    log(
      `run ${run + 1}: raw ${raw.at(-1)!.toFixed(0)} ms, check ${t.check.toFixed(0)} ms, commit ${t.commit.toFixed(0)} ms, undo ${t.undo.toFixed(0)} ms`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const base = median(raw);
const whole = median(check.map((c, i) => c + commit[i]!));
console.log(`rows: ${ROWS}`);
console.log(`raw insert: ${base.toFixed(0)} ms (median of ${RUNS})`);
console.log(`import check (dry run): ${median(check).toFixed(0)} ms, commit: ${median(commit).toFixed(0)} ms`);
console.log(`ratio commit: ${(median(commit) / base).toFixed(2)}`);
console.log(`ratio: ${(whole / base).toFixed(2)}`);
console.log(`undo (not in the ratio): ${median(undos).toFixed(0)} ms`);
console.log(`event loop during the commit and the undo: longest wait ${Math.max(...lags).toFixed(0)} ms`);
console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
