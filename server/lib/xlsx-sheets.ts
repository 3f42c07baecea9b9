import yauzl from 'yauzl';

/**
 * The sheets of an XLSX, read from xl/workbook.xml and its relations through the zip's central
 * directory. exceljs's streaming reader reads them only when it meets them in the zip: a sheet met
 * before workbook.xml (files written by exceljs itself store it last) gets a made-up name or, at
 * times, makes the reader throw (exceljs issues #1364, #2663, #3025, #3064). Given this index
 * first, it names every sheet.
 */
const WANTED = ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels'];
const MAX_BYTES = 1024 * 1024;

const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    if (named[e.toLowerCase()]) return named[e.toLowerCase()]!;
    return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });

function attributes(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) out[m[1]!] = decode(m[3] ?? m[4] ?? '');
  return out;
}

function readEntries(path: string): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    const found = new Map<string, string>();
    yauzl.open(path, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('zip'));
      zip.on('error', reject);
      zip.on('end', () => resolve(found));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (!WANTED.includes(entry.fileName) || entry.uncompressedSize > MAX_BYTES) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error('zip entry'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            found.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

export interface WorkbookIndex {
  /** Sheet names by worksheet file number. */
  names: Map<string, string>;
  /** The workbook's relations and sheets as exceljs's reader models them (see xlsxRows). */
  rels: { Id: string; Target: string; Type: string }[];
  sheets: { name: string; id: number; rId: string; state: string }[];
}

export async function workbookIndex(path: string): Promise<WorkbookIndex> {
  const entries = await readEntries(path);
  const targets = new Map<string, string>();
  const rels: WorkbookIndex['rels'] = [];
  for (const tag of (entries.get('xl/_rels/workbook.xml.rels') ?? '').match(/<Relationship\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    if (a.Id && a.Target) rels.push({ Id: a.Id, Target: a.Target.replace(/^\/?xl\//, ''), Type: a.Type ?? '' });
    const file = /worksheets\/sheet(\d+)\.xml$/.exec(a.Target ?? '');
    if (a.Id && file) targets.set(a.Id, file[1]!);
  }
  const names = new Map<string, string>();
  const sheets: WorkbookIndex['sheets'] = [];
  for (const tag of (entries.get('xl/workbook.xml') ?? '').match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    const id = a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
    const file = id ? targets.get(id) : undefined;
    if (file && a.name !== undefined) names.set(file, a.name);
    if (id && a.name !== undefined) sheets.push({ name: a.name, id: Number(a.sheetId), rId: id, state: a.state ?? 'visible' });
  }
  return { names, rels, sheets };
}
