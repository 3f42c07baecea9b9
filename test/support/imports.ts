import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Agent, Response } from 'supertest';
import { csrfOf } from './app.ts';

/** CSV text as a spreadsheet would save it: CRLF lines, quoted where needed. */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => {
    const s = String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

export const asUtf8 = (text: string) => Buffer.from(text, 'utf8');
export const asUtf8Bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
/** What Excel on Chinese Windows writes for “CSV”: GBK, which GB18030 extends. */
export const asGbk = (text: string) => iconv.encode(text, 'gbk');

/** A workbook with the given sheets, as Excel would save it. */
export async function xlsxOf(sheets: Record<string, (string | number | Date | ExcelJS.CellFormulaValue)[][]>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) book.addWorksheet(name).addRows(rows);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The rows of a sheet of a downloaded workbook, as plain values. */
export async function sheetRows(file: Buffer, name: string): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = book.getWorksheet(name);
  if (!sheet) throw new Error(`no sheet ${name}: ${book.worksheets.map((w) => w.name).join(', ')}`);
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The rows of a workbook's first sheet. */
export async function firstSheetRows(file: Buffer): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** A download's bytes. */
export async function download(agent: Agent, url: string): Promise<{ res: Response; body: Buffer }> {
  const res = await agent
    .get(url)
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
  return { res, body: res.body as Buffer };
}

/** The template's two header rows (labels, keys) and a row builder by key. */
export async function templateOf(agent: Agent, kind: string) {
  const res = await agent.get(`/imports/template/${kind}.csv`);
  const [labels, keys] = res.text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));
  const row = (values: Record<string, string | number>) => keys!.map((k) => values[k] ?? '');
  return { labels: labels!, keys: keys!, row };
}

/** The text of a page without its markup. */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x3D;/g, '=')
    .replace(/\s+/g, ' ');

/** Uploads a file through the import page's own form and waits for its check; the import page's HTML. */
export async function uploadImport(agent: Agent, kind: string, fileName: string, body: Buffer) {
  const page = await agent.get(`/imports/new?kind=${kind}`);
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/
    .exec(page.text)?.[1]
    ?.replace(/&#x3D;/g, '=')
    .replace(/&amp;/g, '&');
  if (!action) throw new Error('no upload form on the import page');
  const res = await agent.post(action).attach('file', body, fileName);
  if (res.status !== 303) return { status: res.status, text: res.text, id: undefined as number | undefined };
  const location = String(res.headers.location);
  const id = Number(/\/imports\/(\d+)$/.exec(location)?.[1]);
  for (let i = 0; i < 1200; i++) {
    const shown = await agent.get(location);
    if (!shown.text.includes('http-equiv="refresh"')) return { status: 303, text: shown.text, id };
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the import check did not finish');
}

/** Submits a form of an import page (commit, undo) the way the browser would; undefined when the page offers none. */
export async function submitImportForm(agent: Agent, pageUrl: string, action: string) {
  const page = await agent.get(pageUrl);
  if (!page.text.includes(`action="${action}"`)) return undefined;
  const once = /name="_once" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfOf(page.text), _once: once });
}

/** A fund row of 苏州市姑苏区 → 西安市新城区 for 2024, by template key: amount i 万元, ledger number R-i (extra overrides). */
export const fundRow = (i: number, extra: Record<string, string | number> = {}) => ({
  assisting: '320508',
  assisted: '610102',
  year: 2024,
  date: '2024-05-01',
  kind: '财政援助',
  form: 'money',
  'committedFen:wan': i,
  purpose: `项目 ${i}`,
  ref: `R-${i}`,
  ...extra,
});
