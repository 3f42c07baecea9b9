import { readFile } from 'node:fs/promises';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import type { Db } from '../../db/client.ts';
import type { ImportAction } from '../../db/schema/index.ts';
import type { Actor } from '../lib/actor.ts';
import { keptPlanOf, type RowPlan } from '../lib/bulk.ts';
import { versionNow } from '../lib/data-version.ts';
import { whenWritable } from '../lib/write-gate.ts';
import { reportsVersion } from '../reports/reports.service.ts';
import { isKeyRow, mapHeader, namesAnyColumn, type Column } from './exchange.columns.ts';
import { FileProblem, csvRows, decodedStream, encodingOf, xlsxRows, type RawRow } from './exchange.read.ts';
import { Resolver, fieldProblem, rowDecoder, type DecodedRow, type RowProblem } from './exchange.rows.ts';
import type { ImportTarget } from './exchange.targets.ts';
import type { StoredChange } from './imports.present.ts';
import * as q from './imports.queries.ts';

/**
 * The dry run of an import: the file read row by row, each row decoded and planned by its domain
 * (exchange.targets.ts) and its outcome stored, 500 rows at a time with other requests served in
 * between; nothing is changed. The commit and undo are imports.service.ts's.
 */

export interface Upload {
  path: string;
  name: string;
  bytes: number;
  head: Buffer;
}

/**
 * Checks run one after another: each holds a file's rows and plans in memory while it runs, and
 * other requests are served in between its batches. A second upload waits its turn ("checking").
 */
let running: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(job: () => Promise<T>): Promise<T> {
  const next = running.then(job, job);
  running = next.catch(() => undefined);
  return next;
}

/** Checks the file (one check at a time); a file that cannot be read leaves the import failed, with why. */
export function runCheck(db: Db, actor: Actor, target: ImportTarget, importId: number, upload: Upload, format: 'csv' | 'xlsx') {
  return oneAtATime(() => check(db, actor, target, importId, upload, format)).catch((e: unknown) => {
    const failure =
      e instanceof HeaderFailure
        ? e.all
        : e instanceof FileProblem
          ? [{ key: e.key, params: e.params }]
          : [{ key: 'import.file.unreadable', params: {} }];
    q.updateImport(db, importId, { status: 'failed', failure });
    if (!(e instanceof FileProblem)) throw e;
  });
}

/** An import still "checking" when the process starts was cut off (a restart): it says so, and the user uploads again. */
export function failInterruptedImports(db: Db): void {
  q.failChecking(db, [{ key: 'import.file.interrupted', params: {} }]);
}

/** The most text a check keeps of a file's bad rows (its error copy): beyond it the file is refused. */
const MAX_KEPT_CHARS = 20_000_000;

async function rowsOfFile(db: Db, target: ImportTarget, importId: number, upload: Upload, format: 'csv' | 'xlsx') {
  if (format === 'xlsx') return xlsxRows(upload.path, upload.bytes, [target.sheet.label, target.sheet.key]);
  const bytes = await readFile(upload.path);
  const encoding = encodingOf(bytes);
  q.updateImport(db, importId, { encoding });
  return csvRows(decodedStream(bytes, encoding));
}

const blankRow = (r: RawRow) => r.cells.every((c) => c.trim() === '');

/**
 * What a dry run's plans rest on beyond the rows they name: the pairings and regions (their
 * version: a scope, a pairing's years and sides) and who planned them (role and scope). Records
 * come and go all day across the country; a kept plan is checked against its own rows when
 * applied instead: an update against the record's version, a create against the unique ledger
 * number, a fund's project against the live projects.
 */
export function basisOf(db: Db, actor: Actor): string {
  // a report submitted or returned meanwhile locks or frees a side's year: every row is planned again
  return JSON.stringify([versionNow(db, 'structure'), reportsVersion(db), actor.role, actor.scope]);
}

/** The dry run: reads the rows, plans each, stores the outcomes 500 at a time and lets other requests run in between. */
async function check(db: Db, actor: Actor, target: ImportTarget, importId: number, upload: Upload, format: 'csv' | 'xlsx') {
  const basis = basisOf(db, actor);
  const rows = await rowsOfFile(db, target, importId, upload, format);
  const header: RawRow[] = [];
  let columns: (Column | undefined)[] = [];
  const resolver = new Resolver(db, actor);
  const seen = new Map<string, number>();
  const counts = { create: 0, update: 0, unchanged: 0, error: 0 };
  let decode: (cells: readonly string[]) => DecodedRow = () => ({ problems: [] });
  const formulaKey = format === 'csv' ? 'import.row.formulaCsv' : 'import.row.formula';
  let keptChars = 0;
  /** The cells of a row as kept: those under a header only, within the budget. */
  const keep = (raw: RawRow): RawRow => {
    const cells = raw.cells.slice(0, Math.max(columns.length, header[0]?.cells.length ?? 0));
    keptChars += cells.reduce((n, c) => n + c.length, 0);
    if (keptChars > MAX_KEPT_CHARS) throw new FileProblem('import.file.tooMuchText');
    return { ...raw, cells };
  };
  /** One row: the header (and its key row) first, then each data row planned and its outcome kept. */
  const handle = (raw: RawRow) => {
    if (header.length === 0) {
      if (blankRow(raw)) return;
      // a title or two above the header ("2024年资金台账") come before it; a header names a column
      if (!namesAnyColumn(target.sheet, raw.cells)) {
        firstFilled ??= raw;
        if (raw.n <= 5) return;
        throw noHeader(firstFilled);
      }
      header.push(raw);
      return;
    }
    if (header.length === 1 && columns.length === 0) {
      const keys = isKeyRow(target.sheet, raw.cells) ? raw.cells : undefined;
      if (keys) header.push(raw);
      const mapped = mapHeader(target.sheet, header[0]!.cells, keys);
      if (mapped.problems.length > 0) throw headerFailure(mapped.problems);
      columns = mapped.columns;
      decode = rowDecoder(target.sheet, columns, resolver);
      stored.push(...header.map((h) => storedRow(importId, keep(h), 'header')));
      if (keys) return;
    }
    if (blankRow(raw)) return;
    const outcome = planRow(db, actor, formulaKey, target, columns, raw, decode, resolver, seen);
    counts[outcome.action] += 1;
    stored.push({
      // the cells are kept for the rows the error copy gives back; a planned row keeps its plan
      ...storedRow(importId, outcome.action === 'error' ? keep(raw) : { ...raw, cells: [] }, outcome.action),
      recordId: outcome.recordId ?? null,
      changes: outcome.changes ?? null,
      problems: outcome.problems ?? null,
      plan: keptPlanOf(outcome.plan),
    });
  };
  /**
   * Plans the rows read so far and stores their outcomes in one transaction: its reads share one
   * snapshot instead of taking one each (a third of a check's time, measured), and nothing is
   * changed but the import's own rows.
   */
  const flush = () => {
    const rowsRead = pending;
    pending = [];
    db.transaction(
      () => {
        for (const raw of rowsRead) handle(raw);
        q.insertRows(db, stored);
        stored = [];
        q.updateImport(db, importId, {
          doneRows: counts.create + counts.update + counts.unchanged + counts.error,
          creates: counts.create,
          updates: counts.update,
          unchanged: counts.unchanged,
          errors: counts.error,
        });
      },
      { behavior: 'immediate' },
    );
  };
  /** The first row with anything in it, named when no row is a header. */
  let firstFilled: RawRow | undefined;
  let pending: RawRow[] = [];
  let stored: q.StoredRow[] = [];
  for await (const raw of rows) {
    pending.push(raw);
    if (pending.length >= 500) {
      // another import's commit holds the write lock: wait for it without holding anyone
      await whenWritable();
      flush();
      await yieldToOthers();
    }
  }
  await whenWritable();
  flush();
  if (header.length === 0) throw firstFilled ? noHeader(firstFilled) : new FileProblem('import.file.empty');
  if (columns.length === 0) {
    const mapped = mapHeader(target.sheet, header[0]!.cells, undefined);
    if (mapped.problems.length > 0) throw headerFailure(mapped.problems);
    throw new FileProblem('import.file.noRows');
  }
  if (counts.create + counts.update + counts.unchanged + counts.error === 0) throw new FileProblem('import.file.noRows');
  // the plans hold only if nothing changed while the check ran (other requests ran in between)
  q.updateImport(db, importId, { status: 'checked', basis: basisOf(db, actor) === basis ? basis : null });
}

/** A header that cannot be read: every problem of it at once. */
class HeaderFailure extends FileProblem {
  constructor(readonly all: { key: string; params?: Record<string, string | number> }[]) {
    super(all[0]!.key, all[0]!.params ?? {});
  }
}
const headerFailure = (problems: HeaderFailure['all']) => new HeaderFailure(problems);

/** No row names a column of the sheet: the first filled row is shown, to tell what the file holds. */
const noHeader = (row: RawRow) =>
  new FileProblem('import.file.noHeader', {
    row: row.n,
    cells: row.cells
      .filter((c) => c.trim() !== '')
      .slice(0, 8)
      .map((c) => c.trim().slice(0, 20))
      .join('、'),
  });

function storedRow(importId: number, raw: RawRow, action: ImportAction): q.StoredRow {
  return { importId, rowNo: raw.n, cells: raw.cells, action, recordId: null, changes: null, problems: null, plan: null };
}

interface Outcome {
  action: 'create' | 'update' | 'unchanged' | 'error';
  recordId?: number;
  changes?: StoredChange[];
  problems?: RowProblem[];
  plan?: RowPlan;
}

/** One row's outcome: decoded, planned by its domain, and checked against the rows before it. */
function planRow(
  db: Db,
  actor: Actor,
  formulaKey: string,
  target: ImportTarget,
  columns: readonly (Column | undefined)[],
  raw: RawRow,
  decode: (cells: readonly string[]) => DecodedRow,
  resolver: Resolver,
  seen: Map<string, number>,
): Outcome {
  const formulaProblems = raw.formulas
    .filter((i) => columns[i])
    .map((i) => fieldProblem(columns, columns[i]!.field?.name ?? columns[i]!.key, { key: formulaKey }));
  const decoded = decode(raw.cells);
  // a formula's cell is named once, as a formula (its text is no value to check)
  const formulaColumns = new Set(formulaProblems.map((p) => p.column));
  const problems = [...formulaProblems, ...decoded.problems.filter((p) => !formulaColumns.has(p.column))];
  const { pairing, input } = decoded;
  if (problems.length > 0 || !input || (target.sheet.needsPairing && !pairing)) return { action: 'error', problems };
  const row = { ...decoded, input };
  const plan = target.plan(db, actor, row, resolver);
  if (plan.action === 'error')
    return { action: 'error', problems: Object.entries(plan.errors).map(([f, e]) => fieldProblem(columns, f, e)) };
  const claims = target.identity(row, plan);
  for (const claim of claims) {
    const first = seen.get(claim.key);
    if (first !== undefined)
      return {
        action: 'error',
        problems: [fieldProblem(columns, claim.field, { key: 'import.row.duplicate', params: { row: first } })],
      };
  }
  for (const claim of claims) seen.set(claim.key, raw.n);
  if (plan.action === 'update') {
    // the values as they are: the page shows them in its own language (imports.present.ts)
    const changes = plan.changed.map((field) => ({ field, from: plan.before[field] ?? null, to: plan.values[field] ?? null }));
    return { action: 'update', recordId: plan.id, changes, plan };
  }
  if (plan.action === 'create') return { action: 'create', plan };
  return { action: plan.action, recordId: plan.id, plan };
}
