/**
 * CSV for Excel users: UTF-8 with a byte-order mark (so Excel opens Chinese text correctly), CRLF
 * line ends, fields quoted when they hold a comma, quote or line break. Cells that a spreadsheet
 * would run as a formula (= + - @ at the start) are prefixed with an apostrophe.
 */
export function toCsv(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const cell = (v: string | number | null | undefined) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
