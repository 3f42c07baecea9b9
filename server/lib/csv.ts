import writeXlsxFile, { type Row } from 'write-excel-file/node';

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
  const cell = (v: string | number | null | undefined) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'string' ? neutraliseCell(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => `${r.map(cell).join(',')}\r\n`).join('');
}

/** Text that a spreadsheet would run, marked as text (as toCsv and toXlsx do). */
export const neutralised = (text: string) => neutraliseCell(text);

/**
 * XLSX of rows (header first, bold): numbers stay number cells; text is neutralised as in CSV, so a
 * neutralised cell shows its leading apostrophe.
 */
export async function toXlsx(rows: (string | number)[][]): Promise<Buffer> {
  const data: Row[] = rows.map((r, i) =>
    r.map((value) => ({
      value: typeof value === 'string' ? neutraliseCell(value) : value,
      fontWeight: i === 0 ? ('bold' as const) : undefined,
    })),
  );
  return writeXlsxFile(data).toBuffer();
}
