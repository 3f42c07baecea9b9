import yauzl from 'yauzl';

/**
 * The sheet names of an XLSX by worksheet file number (xl/worksheets/sheet3.xml → 3), read from
 * xl/workbook.xml and its relations through the zip's central directory. exceljs's streaming
 * reader names a sheet only when workbook.xml came before it in the zip, which files written by
 * exceljs itself do not do (exceljs issues #1364, #2663, #3025); its 'entry' events still give
 * the file number of each sheet it yields.
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

export async function sheetNamesByFile(path: string): Promise<Map<string, string>> {
  const entries = await readEntries(path);
  const targets = new Map<string, string>();
  for (const tag of (entries.get('xl/_rels/workbook.xml.rels') ?? '').match(/<Relationship\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    const file = /worksheets\/sheet(\d+)\.xml$/.exec(a.Target ?? '');
    if (a.Id && file) targets.set(a.Id, file[1]!);
  }
  const names = new Map<string, string>();
  for (const tag of (entries.get('xl/workbook.xml') ?? '').match(/<(?:\w+:)?sheet\b[^>]*>/g) ?? []) {
    const a = attributes(tag);
    const id = a['r:id'] ?? Object.entries(a).find(([k]) => k.endsWith(':id'))?.[1];
    const file = id ? targets.get(id) : undefined;
    if (file && a.name !== undefined) names.set(file, a.name);
  }
  return names;
}
