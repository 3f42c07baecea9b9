import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { csvLines, neutralised, toCsv } from '../lib/csv.ts';
import { columnNotes, exportColumns, type Column } from './exchange.columns.ts';
import type { SheetKind } from './exchange.sheets.ts';

/**
 * Writing record sheets: the template (header rows only, with a notes sheet) and exports (the
 * same columns, then one row per record), as CSV (UTF-8 with BOM) or XLSX streamed through
 * exceljs's writer. The same columns read back in (exchange.columns.ts), so an export re-imports
 * unchanged.
 */
export type Cell = string | number | null;
/** Text a spreadsheet would run gets the apostrophe that marks it as text (lib/csv.ts). */
const safe = (v: Cell) => (typeof v === 'string' ? neutralised(v) : v);

export function headerRows(columns: readonly Column[]): string[][] {
  return [columns.map((c) => c.label), columns.map((c) => c.key)];
}

export function csvOf(columns: readonly Column[], rows: Iterable<Cell[]>): string {
  return toCsv([...headerRows(columns), ...rows]);
}

/** A CSV written to `out` 1,000 rows at a time, waiting while the reader is behind. */
export function writeCsv(out: Writable, columns: readonly Column[], rows: Iterable<Cell[]>): Promise<void> {
  return writeCsvLines(out, headerRows(columns), rows);
}

/** The header rows, then the rows 1,000 at a time, as CSV (UTF-8 with BOM), waiting while the reader is behind. */
async function writeCsvLines(out: Writable, header: string[][], rows: Iterable<Cell[]>): Promise<void> {
  out.write(`\uFEFF${csvLines(header)}`);
  let batch: Cell[][] = [];
  const flush = async () => {
    if (!out.write(csvLines(batch))) await once(out, 'drain');
    batch = [];
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= 1000) await flush();
  }
  if (batch.length > 0) await flush();
  out.end();
}

export interface SheetSpec {
  sheet: SheetKind;
  columns: readonly Column[];
  rows: Iterable<Cell[]>;
}

/** An XLSX of one sheet per kind (header rows bold and frozen), streamed to `out`; with `notes`, a 说明 sheet per kind. */
export async function writeWorkbook(out: Writable, sheets: readonly SheetSpec[], notes = false): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  for (const spec of sheets) {
    const sheet = book.addWorksheet(spec.sheet.label, { views: [{ state: 'frozen', ySplit: 2 }] });
    sheet.columns = spec.columns.map((c) => ({ width: Math.max(10, Math.min(40, c.label.length * 2 + 2)) }));
    for (const header of headerRows(spec.columns)) {
      const row = sheet.addRow(header);
      row.font = { bold: true };
      row.commit();
    }
    for (const cells of spec.rows) sheet.addRow(cells.map(safe)).commit();
    sheet.commit();
    if (notes) {
      const about = book.addWorksheet(`说明-${spec.sheet.label}`);
      about.columns = [{ width: 28 }, { width: 22 }, { width: 70 }, { width: 24 }];
      const head = about.addRow(['列', '英文键', '说明', '示例']);
      head.font = { bold: true };
      head.commit();
      for (const n of columnNotes(spec.sheet)) about.addRow([n.label, n.key, n.note, n.example]).commit();
      about.commit();
    }
  }
  await book.commit();
}

export { exportColumns };

/** A plain table (a header row of labels, then rows) as CSV or XLSX: a list that is read, not imported back. */
export async function writeTable(out: Writable, format: 'csv' | 'xlsx', title: string, header: string[], rows: Iterable<Cell[]>) {
  const columns = header.map((label): Column => ({ key: label, label, role: 'info' }));
  if (format === 'csv') return writeCsvLines(out, [header], rows);
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = book.addWorksheet(title, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ width: Math.max(10, Math.min(40, c.label.length * 2 + 2)) }));
  const head = sheet.addRow(header);
  head.font = { bold: true };
  head.commit();
  for (const cells of rows) sheet.addRow(cells.map(safe)).commit();
  sheet.commit();
  await book.commit();
}
