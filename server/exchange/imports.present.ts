import type { Db } from '../../db/client.ts';
import { translator, type Translate } from '../lib/i18n.ts';
import { targetOf } from './exchange.targets.ts';
import type { SheetKind } from './exchange.sheets.ts';
import type { KeptPlan } from '../lib/bulk.ts';
import type { FieldDef } from '../lib/fields.ts';
import { formatMoney } from '../lib/money.ts';
import { displayValue } from '../lib/present.ts';
import { ERROR_COLUMN, columnLetter, mapHeader, type Column } from './exchange.columns.ts';
import type { RowProblem } from './exchange.rows.ts';
import type { Cell } from './exchange.write.ts';
import type { Actor } from '../lib/actor.ts';
import { importCapabilities } from './imports.policy.ts';
import * as q from './imports.queries.ts';

/** Files speak Chinese whatever the page's language (exchange.columns.ts). */
const zhT = translator('zh-CN');

/**
 * An import as its pages show it: names, counts, progress and what the user may do next (as the
 * import policy allows the actor; nothing while the import is being committed or undone).
 */
export function presentImport(
  found: { entry: q.ImportRow; userName: string },
  t: Translate,
  viewer?: { actor: Actor; busy: boolean },
) {
  const e = found.entry;
  const can = viewer ? importCapabilities(viewer.actor, e, viewer.busy) : { commit: false, undo: false };
  const failure = (e.failure as { key: string; params?: Record<string, string | number> }[] | null) ?? [];
  return {
    entry: e,
    userName: found.userName,
    kindLabel: targetOf(e.kind).sheet.label,
    statusLabel: t(`import.status.${e.status}`),
    encodingLabel: e.encoding ? t(`import.encoding.${e.encoding}`) : '',
    percent: e.totalRows > 0 ? Math.floor((100 * e.doneRows) / e.totalRows) : undefined,
    failures: failure.map((f) => t(f.key, f.params)),
    canCommit: can.commit,
    nothingToDo: e.status === 'checked' && e.errors === 0 && e.creates + e.updates === 0,
    canUndo: can.undo,
    busy: viewer?.busy ?? false,
    recordsLink: targetOf(e.kind).link ? `/records/${e.kind}` : undefined,
    hasErrors: e.errors > 0,
    // before the commit the counts say what will happen, after it what did
    counts: (['create', 'update', 'unchanged', 'error'] as const).map((a) =>
      t(`import.${e.status === 'committed' || e.status === 'undone' ? 'countDone' : 'count'}.${a}`, {
        n: { create: e.creates, update: e.updates, unchanged: e.unchanged, error: e.errors }[a].toLocaleString('en-US'),
      }),
    ),
    done: e.status === 'committed' || e.status === 'undone',
  };
}

/** A problem as one line: "D 列（协议/承诺金额）：请填写此项。" */
export function problemText(p: RowProblem, t: Translate): string {
  const where = p.column ? t('import.problem.at', { column: p.column, label: p.label }) : p.label;
  return `${where}：${t(p.key, p.params)}`;
}

/** A value as a change shows it: money in 万元 with every decimal (rounding would hide a change). */
export const exactly = (f: FieldDef, v: unknown, t: Translate) =>
  f.type === 'money' && v !== null && v !== undefined
    ? formatMoney(Number(v), 'wan', { exact: true })
    : displayValue(f, v, t, 'wan');

/** What a new row holds, in a few words for the dry run's list: its first filled fields, long text left out. */
function createSummary(sheet: SheetKind, plan: KeptPlan | null, t: Translate) {
  const values = plan?.values ?? {};
  return sheet.fields
    .filter((f) => f.type !== 'textarea' && values[f.name] !== null && values[f.name] !== undefined && values[f.name] !== '')
    .slice(0, 6)
    .map((f) => ({ label: t(`field.${f.name}`), from: '', to: exactly(f, values[f.name], t), added: true }));
}

/** A changed field as a dry run stores it: its name and the values before and after. */
export interface StoredChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** An update's changes in the page's language (imports checked before this stored their Chinese labels and texts). */
function changesShown(sheet: SheetKind, changes: (StoredChange | { label: string; from: string; to: string })[], t: Translate) {
  const fields = [...sheet.fields, ...sheet.state];
  return changes.map((c) => {
    if (!('field' in c)) return c;
    const f = fields.find((x) => x.name === c.field);
    if (!f) return { label: t(`field.${c.field}`), from: String(c.from ?? ''), to: String(c.to ?? '') };
    return { label: t(`field.${c.field}`), from: exactly(f, c.from, t), to: exactly(f, c.to, t) };
  });
}

export function presentRows(rows: q.StoredRow[], kind: string, t: Translate) {
  const target = targetOf(kind);
  const link = target.link;
  return rows.map((r) => ({
    rowNo: r.rowNo,
    recordId: r.recordId,
    recordLink: r.recordId !== null && link ? link(r.recordId) : undefined,
    changes:
      r.action === 'create'
        ? createSummary(target.sheet, r.plan as KeptPlan | null, t)
        : changesShown(target.sheet, (r.changes as StoredChange[] | null) ?? [], t),
    problems: ((r.problems as RowProblem[] | null) ?? []).map((p) => problemText(p, t)),
  }));
}

/**
 * The bad rows of an upload as they came, under the upload's own header rows, with an error column
 * that names each problem; the fixed file can be uploaded again as it is.
 */
export function errorCopy(db: Db, entry: q.ImportRow) {
  const sheet = targetOf(entry.kind).sheet;
  const header = [...q.allRowsOf(db, entry.id, ['header'])];
  const mapped = header.length > 0 ? mapHeader(sheet, header[0]!.cells, header[1]?.cells).columns : [];
  const width = Math.max(0, ...header.map((h) => h.cells.length));
  // the upload's own header cells, whatever it named its columns
  const columns: Column[] = Array.from({ length: width }, (_, i) => ({
    key: header[1]?.cells[i] ?? mapped[i]?.key ?? columnLetter(i),
    label: header[0]?.cells[i] ?? '',
    role: 'info' as const,
  }));
  function* rows(): Generator<Cell[]> {
    for (const r of q.allRowsOf(db, entry.id, ['error'])) {
      const cells: Cell[] = Array.from({ length: width }, (_, i) => r.cells[i] ?? '');
      yield [...cells, ((r.problems as RowProblem[] | null) ?? []).map((p) => problemText(p, zhT)).join('；')];
    }
  }
  return { sheet, columns: [...columns, ERROR_COLUMN], rows: rows() };
}
