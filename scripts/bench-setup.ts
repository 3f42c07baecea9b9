/**
 * Prepares the database `npm run bench` serves: the national dataset (built first if the file is
 * missing), copied so the run may write to it, with what the pages need made through the services:
 * one account per role, the year's framework and round, and a record with a history.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createDb, migrateDb, type Db } from '../db/client.ts';
import type { Role } from '../db/schema/index.ts';
import { createFramework } from '../server/assessment/assessment.service.ts';
import { openRound } from '../server/assessment/assessment.rounds.ts';
import { loadSessionUser } from '../server/auth/auth.service.ts';
import { SYSTEM } from '../server/lib/actor.ts';
import type { RecordKindKey } from '../server/records/records.kinds.ts';
import { getRecord, updateRecord } from '../server/records/records.service.ts';
import { createUser } from '../server/users/users.service.ts';

export const BENCH_PASSWORD = 'Lq7-Xz93-kfPw-tra2';

/** The accounts the pages are read as: the role, its username and its region. */
export const BENCH_ACCOUNTS = {
  admin: { username: 'bench.admin', role: 'admin', regionCode: null },
  staff: { username: 'bench.staff', role: 'staff', regionCode: '320000' },
  liaison: { username: 'bench.liaison', role: 'liaison', regionCode: '610000' },
  evaluator: { username: 'bench.evaluator', role: 'evaluator', regionCode: null },
} as const satisfies Record<string, { username: string; role: Role; regionCode: string | null }>;
export type BenchRole = keyof typeof BENCH_ACCOUNTS;

export interface BenchDataset {
  path: string;
  /** bench:scorecards' own lines, and its `ratio:` (all scorecards of the year / one raw pass). */
  scorecards: { lines: string[]; ratio: number | null };
  pairings: { province: number; county: number; pairup: number };
  busiest: { kind: RecordKindKey; id: number; auditRows: number; madeEdits: number };
  counts: { pairings: number; records: number };
}

const EDITS = 12;
const RECORD_TABLES = ['funds', 'talents', 'projects', 'labour', 'consumption'] as const;

/** Builds the national database at `source` if missing, then copies it (with its WAL) into `dir`. */
export function copyNational(source: string, dir: string): string {
  if (!existsSync(source)) {
    console.log(`building the national dataset in ${source} (npm run seed:national) …`);
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/seed-national.ts', '--db', source], { stdio: 'inherit' });
  }
  const target = join(dir, 'bench.db');
  copyFileSync(source, target);
  if (existsSync(`${source}-wal`) && statSync(`${source}-wal`).size > 0) copyFileSync(`${source}-wal`, `${target}-wal`);
  return target;
}

/**
 * Runs `npm run bench:scorecards` on the copy (it also writes the year's framework there: every
 * province, city pair and county pair scored) and keeps its figure.
 */
export function benchScorecards(path: string, year: number, runs: number): BenchDataset['scorecards'] {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench-scorecards.ts', '--db', path, '--year', String(year), '--runs', String(runs)],
    { encoding: 'utf8' },
  );
  const lines = out.trim().split('\n');
  const ratio = /^ratio: ([\d.]+)/m.exec(out);
  return { lines, ratio: ratio ? Number(ratio[1]) : null };
}

async function ensureAccounts(db: Db) {
  for (const a of Object.values(BENCH_ACCOUNTS)) {
    if (db.$client.prepare('SELECT 1 FROM users WHERE username = ?').get(a.username)) continue;
    await createUser(db, null, { ...a, displayName: a.username, password: BENCH_PASSWORD, passwordConfirm: BENCH_PASSWORD });
  }
}

function userId(db: Db, username: string): number {
  return (db.$client.prepare('SELECT id FROM users WHERE username = ?').get(username) as { id: number }).id;
}

/** The year's framework and an open round, made through the services when the copy has none. */
function ensureRound(db: Db, year: number) {
  const has = db.$client.prepare('SELECT 1 FROM assessment_frameworks WHERE year = ?').get(year);
  if (!has) createFramework(db, SYSTEM, year, [userId(db, BENCH_ACCOUNTS.evaluator.username)]);
  if (!db.$client.prepare('SELECT 1 FROM assessment_rounds WHERE year = ?').get(year)) openRound(db, SYSTEM, year);
}

/**
 * The record with the most audit rows. The national dataset is seeded without history, so when no
 * record has one, the staff account edits one of its side's funds a dozen times through the service.
 */
function ensureBusiest(db: Db): BenchDataset['busiest'] {
  const busiest = () =>
    db.$client
      .prepare(
        "SELECT substr(entity, 8) AS kind, CAST(entity_id AS INTEGER) AS id, count(*) AS n FROM audit_log WHERE entity LIKE 'record.%' GROUP BY entity, entity_id ORDER BY n DESC LIMIT 1",
      )
      .get() as { kind: RecordKindKey; id: number; n: number } | undefined;
  const found = busiest();
  if (found && found.n >= EDITS) return { kind: found.kind, id: found.id, auditRows: found.n, madeEdits: 0 };
  const staff = loadSessionUser(db, userId(db, BENCH_ACCOUNTS.staff.username))!;
  const candidates = db.$client
    .prepare(
      "SELECT f.id FROM funds f JOIN pairings p ON p.id = f.pairing_id WHERE p.assisting_code LIKE '32%' AND p.level = 'county' AND f.deleted_at IS NULL ORDER BY f.id LIMIT 50",
    )
    .all() as { id: number }[];
  const id = candidates.find((c) => getRecord(db, staff, 'funds', c.id).can.edit)?.id;
  if (id === undefined) throw new Error('bench: no fund of 江苏 the staff account may edit');
  for (let i = 1; i <= EDITS; i++) {
    const { record } = getRecord(db, staff, 'funds', id);
    updateRecord(db, staff, 'funds', id, {
      ...(record as Record<string, unknown>),
      year: record.year as number,
      date: record.date as string,
      notes: `基准测试修改 ${i}`,
      version: record.version as number,
    });
  }
  const after = busiest()!;
  return { kind: after.kind, id: after.id, auditRows: after.n, madeEdits: EDITS };
}

/**
 * Runs `npm run bench:import` (100,000 fund rows from CSV against a raw insert of the same rows)
 * with the server's own heap settings, since imports run inside the server.
 */
export function benchImport(runs: number): NonNullable<RunFiguresImport> {
  const out = execFileSync(
    process.execPath,
    [
      '--max-old-space-size=192',
      '--max-semi-space-size=32',
      '--import',
      'tsx',
      'scripts/bench-import.ts',
      '--runs',
      String(runs),
    ],
    { encoding: 'utf8' },
  );
  const lines = out.trim().split('\n');
  const figure = (name: string) => Number(new RegExp(`^${name}: ([\\d.]+)`, 'm').exec(out)?.[1] ?? NaN);
  return { lines, ratio: figure('ratio'), commitRatio: figure('ratio commit') };
}
export type RunFiguresImport = { lines: string[]; ratio: number; commitRatio: number } | undefined;

/** Accounts, round and history on the copy, then the ids of the pages to visit. */
export async function prepareDataset(path: string, year: number, scorecards: BenchDataset['scorecards']): Promise<BenchDataset> {
  const db = createDb(path);
  migrateDb(db);
  try {
    await ensureAccounts(db);
    ensureRound(db, year);
    const busiest = ensureBusiest(db);
    const one = (q: string) => (db.$client.prepare(q).get() as { id: number } | undefined)?.id ?? 0;
    const province = one(
      "SELECT id FROM pairings WHERE level = 'province' AND assisting_code = '320000' AND deleted_at IS NULL ORDER BY id",
    );
    const county = one(
      `SELECT id FROM pairings WHERE level = 'county' AND assisting_code LIKE '32%' AND deleted_at IS NULL ORDER BY id`,
    );
    const pairup = one(
      `SELECT id FROM pairings WHERE level = 'pairup' AND parent_id = ${county} AND deleted_at IS NULL ORDER BY id`,
    );
    const count = (table: string) => (db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    return {
      path,
      scorecards,
      pairings: { province, county, pairup },
      busiest,
      counts: { pairings: count('pairings'), records: RECORD_TABLES.reduce((n, t) => n + count(t), 0) },
    };
  } finally {
    db.$client.close();
  }
}
