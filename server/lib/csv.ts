import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';

/**
 * Cells that a spreadsheet would run: text starting with = + - @ (a formula, or in some programs a
 * DDE call), or with a TAB or a line break before one. Such text gets a leading apostrophe, the
 * spreadsheets' own "this is text" mark (OWASP's advice on CSV injection). In XLSX, where the cell
 * is already a text cell, the mark shows as a visible apostrophe ('=SUM(…)): kept on purpose, as
 * issue 8 asks for both formats, so the text cannot run when copied into another cell or file.
 * Plain numbers written as text ("-12.5", "-3%") stay as they are: a spreadsheet reads them as
 * numbers, not formulas.
 */
const RUNNABLE = /^[=+\-@\t\r\n]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?%?$/;

function neutraliseCell(text: string): string {
  return RUNNABLE.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/**
 * CSV for Excel users: UTF-8 with a byte-order mark (so Excel opens Chinese text correctly), CRLF
 * line ends, fields quoted when they hold a comma, quote or line break. Text cells are neutralised
 * (neutraliseCell); number cells are written as numbers.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `\uFEFF${csvLines(rows)}`;
}

/** CSV lines as toCsv writes them, each ending in CRLF, without the byte-order mark (a file written in parts). */
export function csvLines(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  if (rows.length === 0) return '';
  const cells = rows.map((r) => r.map((v) => (typeof v === 'string' ? neutraliseCell(v) : (v ?? null))));
  // a lone line break is quoted too (its record delimiter is CRLF)
  return stringify(cells, { record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

/** Text that a spreadsheet would run, marked as text (as toCsv and toXlsx do). */
export const neutralised = (text: string) => neutraliseCell(text);

/**
 * XLSX of rows (header first, bold): numbers stay number cells; text is neutralised as in CSV, so a
 * neutralised cell shows its leading apostrophe.
 */
export async function toXlsx(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sheet1');
  for (const r of rows) sheet.addRow(r.map((value) => (typeof value === 'string' ? neutraliseCell(value) : value)));
  sheet.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}
