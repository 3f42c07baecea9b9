import { isUtf8 } from 'node:buffer';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { isZip } from '../lib/uploads.ts';
import { workbookIndex } from '../lib/xlsx-sheets.ts';
import { ZIP_LIMITS, inspectZip } from '../lib/zip.ts';

/**
 * Reading an uploaded spreadsheet into rows of text cells, one row at a time: CSV in UTF-8 (with or
 * without a BOM) or GB18030/GBK (what Excel on Chinese Windows saves), detected; XLSX through
 * exceljs's streaming reader, after the zip has been inflated once with running counts (zip bombs).
 * Whatever makes the file unreadable is a FileProblem with an i18n key, never an exception text.
 */
export const IMPORT_LIMITS = { maxBytes: 20 * 1024 * 1024, maxRows: 100_000, maxColumns: 60, maxCellChars: 10_000 };

/**
 * An import's XLSX may unpack to less than other uploads, and no one part (the shared strings,
 * which the reader keeps whole; a sheet) to more than 40 MB: 100,000 rows of the widest template
 * are about 30 MB of sheet XML. Two checks at the server's heap limit then fit.
 */
const IMPORT_ZIP_LIMITS = { ...ZIP_LIMITS, maxEntryBytes: 40 * 1024 * 1024, maxTotalBytes: 80 * 1024 * 1024 };

export class FileProblem extends Error {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

export interface RawRow {
  /** The row's number as the spreadsheet shows it. */
  n: number;
  cells: string[];
  /** Indexes of cells that held a formula (refused: an import takes values, not calculations). */
  formulas: number[];
}

export type Format = 'csv' | 'xlsx';
export type Encoding = 'utf-8' | 'utf-8-bom' | 'gb18030';

export function formatOf(fileName: string, head: Buffer): Format {
  const zip = isZip(head);
  if (/\.xlsx$/i.test(fileName)) {
    if (!zip) throw new FileProblem('import.file.notXlsx');
    return 'xlsx';
  }
  if (/\.(csv|txt)$/i.test(fileName)) {
    if (zip) throw new FileProblem('import.file.notCsv');
    return 'csv';
  }
  throw new FileProblem('import.file.type');
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM says so outright), else GB18030 (a superset of GBK and GB2312). */
export function encodingOf(bytes: Buffer): Encoding {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  return isUtf8(bytes) ? 'utf-8' : 'gb18030';
}

/** The text of a CSV's bytes in its encoding, decoded as it is parsed (never one string of the whole file). */
export function decodedStream(bytes: Buffer, encoding: Encoding): Readable {
  const body = encoding === 'utf-8-bom' ? bytes.subarray(3) : bytes;
  const chunks = function* () {
    for (let i = 0; i < body.length; i += 64 * 1024) yield body.subarray(i, i + 64 * 1024);
  };
  return Readable.from(chunks()).pipe(iconv.decodeStream(encoding === 'gb18030' ? 'gb18030' : 'utf8')) as unknown as Readable;
}

function checkRow(row: RawRow): RawRow {
  if (row.n > IMPORT_LIMITS.maxRows + 2) throw new FileProblem('import.file.tooManyRows', { max: IMPORT_LIMITS.maxRows });
  if (row.cells.length > IMPORT_LIMITS.maxColumns)
    throw new FileProblem('import.file.tooManyColumns', { max: IMPORT_LIMITS.maxColumns });
  if (row.cells.some((c) => c.length > IMPORT_LIMITS.maxCellChars))
    throw new FileProblem('import.file.cellTooLong', { row: row.n, max: IMPORT_LIMITS.maxCellChars });
  return row;
}

export async function* csvRows(source: string | Readable): AsyncGenerator<RawRow> {
  const parser = (typeof source === 'string' ? Readable.from([source]) : source).pipe(
    parse({ relax_column_count: true, relax_quotes: true, skip_empty_lines: false }),
  );
  let n = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      n += 1;
      // a CSV holds no formulas; text that starts with "=" would run as one when opened in a spreadsheet
      const formulas = record.flatMap((c, i) => (c.startsWith('=') ? [i] : []));
      yield checkRow({ n, cells: record, formulas });
    }
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    throw new FileProblem('import.file.badCsv', { row: n + 1 });
  }
}

/** An exceljs cell value as the text a user sees (dates as ISO dates; a formula as its text). */
function cellText(v: ExcelJS.CellValue): { text: string; formula: boolean } {
  if (v === null || v === undefined) return { text: '', formula: false };
  if (v instanceof Date) return { text: Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10), formula: false };
  if (typeof v === 'number') return { text: String(v), formula: false };
  if (typeof v === 'string') return { text: v, formula: false };
  if (typeof v === 'boolean') return { text: v ? 'TRUE' : 'FALSE', formula: false };
  if ('formula' in v || 'sharedFormula' in v) return { text: `=${'formula' in v ? v.formula : ''}`, formula: true };
  if ('richText' in v) return { text: v.richText.map((r) => r.text).join(''), formula: false };
  if ('text' in v && typeof v.text === 'string') return { text: v.text, formula: false };
  if ('error' in v) return { text: String(v.error), formula: false };
  return { text: '', formula: false };
}

/**
 * The rows of the sheet named one of `sheetNames` (a template's sheet is named after its kind).
 * Other sheets are skipped; a workbook without such a sheet is a problem naming the sheets it has.
 */
export async function* xlsxRows(path: string, fileBytes: number, sheetNames: readonly string[]): AsyncGenerator<RawRow> {
  const verdict = await inspectZip(path, fileBytes, IMPORT_ZIP_LIMITS);
  if (verdict === 'bomb') throw new FileProblem('upload.zipBomb');
  if (verdict === 'broken') throw new FileProblem('import.file.badXlsx');
  const seen: string[] = [];
  let found = false;
  try {
    const index = await workbookIndex(path);
    const names = index.names;
    // a workbook of one sheet is read whatever its name ("Sheet1")
    const onlySheet = index.sheets.length === 1 && !sheetNames.includes(index.sheets[0]!.name.trim());
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'emit',
    });
    // the workbook's index, known before any sheet is met (lib/xlsx-sheets.ts); exceljs 4.4.0 reads it from these
    Object.assign(reader, { workbookRels: index.rels, model: { sheets: index.sheets } });
    // each sheet yielded is announced by an entry event with its file number (see lib/xlsx-sheets.ts)
    let fileNo = '';
    (reader as unknown as NodeJS.EventEmitter).on('entry', (e: { type?: string; id?: string }) => {
      if (e.type === 'worksheet') fileNo = String(e.id);
    });
    for await (const sheet of reader) {
      const name = names.get(fileNo) ?? (sheet as unknown as { name?: string }).name ?? '';
      seen.push(name);
      if (found || !(onlySheet || sheetNames.includes(name.trim()))) {
        for await (const row of sheet) void row; // skip it (the stream must be drained)
        continue;
      }
      found = true;
      for await (const row of sheet) {
        // rows left empty are not stored (and need no reading): numbers go by the sheet's own
        const values = (row.values as ExcelJS.CellValue[]).slice(1);
        const texts = Array.from(values, (v) => cellText(v));
        yield checkRow({
          n: row.number,
          cells: texts.map((c) => c.text),
          formulas: texts.flatMap((c, i) => (c.formula ? [i] : [])),
        });
      }
    }
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    throw new FileProblem('import.file.badXlsx');
  }
  if (!found) throw new FileProblem('import.file.noSheet', { wanted: sheetNames[0]!, found: seen.join('、') || '—' });
}
