import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import type { Response } from 'supertest';
import yauzl from 'yauzl';
import { frameworks } from '../../db/schema/index.ts';
import type { FrameworkDoc } from '../../server/assessment/assessment.framework.ts';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { toCsv, toXlsx } from '../../server/lib/csv.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** The text of every XML part of an .xlsx (a zip), by entry name. */
function unzipXml(buffer: Buffer): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const out: Record<string, string> = {};
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out[entry.fileName] = Buffer.concat(chunks).toString('utf8');
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

/** Every text of a workbook (shared strings and inline strings), XML entities decoded. */
function textsOf(parts: Record<string, string>): string[] {
  const xml = Object.entries(parts)
    .filter(([name]) => /sharedStrings|worksheets\/sheet/.test(name))
    .map(([, text]) => text)
    .join('');
  const decode = (s: string) =>
    s
      .replace(/&#x([0-9a-f]+);/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)))
      .replace(/&#(\d+);/g, (_m, d: string) => String.fromCharCode(Number(d)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&');
  return [...xml.matchAll(/<t(?: [^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => decode(m[1]!));
}

const PAYLOADS = ['=HYPERLINK("http://evil.example","点此")', '@SUM(1+1)', '+1+2', '-2+3', '\t=1+1', '\r=1+1'];

describe('exports that a spreadsheet opens', () => {
  it('when framework names hold formulas, then the CSV and XLSX scorecards carry them as text', async function () {
    this.timeout(60_000);
    const { app, db } = buildApp();
    const { county } = buildJiangsuShaanxi(db);
    buildRecord(db, 'funds', county.id);
    const evaluator = await buildUser(db, { role: 'evaluator', username: 'evaluator' });
    seedAssessment(db);
    const row = db.select().from(frameworks).where(eq(frameworks.year, 2024)).get()!;
    const doc = row.doc as FrameworkDoc;
    // on indicators that 江苏 (an assisting province) is scored on
    const ours = doc.content.indicators.filter((i) => i.side !== 'assisted');
    PAYLOADS.forEach((p, i) => {
      ours[i]!.name = { zh: p, en: p };
    });
    db.update(frameworks).set({ doc }).where(eq(frameworks.id, row.id)).run();

    const agent = await loginAs(app, evaluator);
    const key = 'r.assisting.320000';
    const csv = await agent.get(`/assessment/2024/scorecards/${key}/export.csv`);
    expect(csv.status).to.equal(200);
    for (const p of PAYLOADS) {
      expect(csv.text, JSON.stringify(p)).to.contain(`'${p.replace(/"/g, '""')}`);
      // no field of a line starts with the bare payload
      expect(csv.text.split(/\r\n/).some((line) => line.split(',').some((f) => f.replace(/^"/, '') === p))).to.equal(false);
    }

    const xlsx = await agent.get(`/assessment/2024/scorecards/${key}/export.xlsx`).buffer(true).parse(binary);
    expect(xlsx.status).to.equal(200);
    const texts = textsOf(await unzipXml(xlsx.body as Buffer));
    for (const p of PAYLOADS) {
      expect(texts, JSON.stringify(p)).to.include(`'${p}`);
      expect(texts, JSON.stringify(p)).to.not.include(p);
    }
    expect(texts.some((t) => /^[=+\-@\t\r]/.test(t) && !/^-?\d+(\.\d+)?%?$/.test(t))).to.equal(false);
  });

  it('when a cell is a real number, then it stays a number: negative in XLSX, plain in CSV', async () => {
    const parts = await unzipXml(
      await toXlsx([
        ['a', 'b', 'c'],
        [-12.5, '-12.5', '=1+1'],
      ]),
    );
    const sheet = Object.entries(parts).find(([n]) => /worksheets\/sheet/.test(n))![1];
    expect(sheet).to.match(/<c [^>]*r="A2"[^>]*>\s*<v>-12\.5<\/v>/);
    expect(sheet).to.not.match(/<c [^>]*r="A2"[^>]*t="(s|inlineStr|str)"/);
    expect(textsOf(parts)).to.include("'=1+1");
    expect(toCsv([[-12.5, '-12.5', '-3%', '-1+2', '=1+1', '@x', '\t1', 'ok']])).to.equal(
      "\uFEFF-12.5,-12.5,-3%,'-1+2,'=1+1,'@x,'\t1,ok\r\n",
    );
  });
});
