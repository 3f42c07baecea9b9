/**
 * The soak's traffic besides the reads: writers saving record forms as a person would (the page's
 * own form with its CSRF and one-time tokens, then the page the save leads to), an import now and
 * then (upload, check, commit, undo), and a scorecard PDF every so often. Each request is timed
 * and counted in the tally; an answer other than the expected one is an error, and the loop goes on.
 */
import autocannon from 'autocannon';
import { formFor } from '../test/support/forms.ts';
import { csvText } from '../test/support/imports.ts';
import { PROXY_HEADERS } from './bench-pages.ts';
import type { Kind, Tally } from './bench-soak-report.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Answer {
  path: string;
  status: number;
  text: string;
  body: Buffer;
  location: string;
}
type Body = Record<string, string> | FormData;
const ok200 = (s: number) => s === 200;
const redirect = (s: number) => s === 302 || s === 303;

/** One signed-in user's requests; undefined when the answer was not the expected one (counted as an error). */
export class Client {
  constructor(
    private readonly base: string,
    private readonly cookie: string,
    readonly tally: Tally,
  ) {}

  async send(kind: Kind, path: string, body?: Body, expect = body ? redirect : ok200): Promise<Answer | undefined> {
    const what = `${body ? 'POST' : 'GET'} ${path}`;
    const t0 = performance.now();
    try {
      const res = await fetch(this.base + path, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { ...PROXY_HEADERS, cookie: this.cookie },
        signal: AbortSignal.timeout(30_000), // as autocannon's reads: a hung answer is an error, not a stalled writer
        body: body instanceof FormData ? body : body ? new URLSearchParams(body) : undefined,
      });
      const buf = Buffer.from(await res.arrayBuffer());
      const answer = {
        path,
        status: res.status,
        body: buf,
        text: res.headers.get('content-type')?.startsWith('text/html') ? buf.toString('utf8') : '',
        location: res.headers.get('location') ?? '',
      };
      // a refusal shown on the page (a flash or a form's message) is an error too
      const alert = /<div class="alert error"[^>]*>([^<]*)</.exec(answer.text)?.[1];
      const wrong = !expect(res.status) ? `answered ${res.status}` : alert ? `says “${alert.trim()}”` : undefined;
      this.tally.record(
        kind,
        performance.now() - t0,
        wrong && `${what} ${wrong}${answer.location ? ` → ${answer.location}` : ''}`,
      );
      return wrong ? undefined : answer;
    } catch (err) {
      this.tally.fail(kind, `${what}: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  /**
   * Posts the form of `page` that goes to `action`, as the page filled it in and with `changes`,
   * then reads the page it leads to (a save is `save`, an import's step `import`).
   */
  async submit(kind: Kind, page: Answer | undefined, action: string, changes: Record<string, string> = {}) {
    if (!page) return undefined;
    const form = formFor(page.text, action);
    if (!form) {
      this.tally.fail(kind, `no form to ${action} on ${page.path}`);
      return undefined;
    }
    const saved = await this.send(kind, action, { ...form.fields, ...changes });
    return saved && (await this.send(kind === 'save' ? 'form' : kind, saved.location));
  }
}

export interface Target {
  kind: string;
  id: number;
}

/**
 * One writer: edits its record's notes back and forth; every third round also creates a fund on
 * `pairingId` and deletes it again, so the data stay the size they were.
 */
export async function writer(c: Client, n: number, target: Target, pairingId: number, live: () => boolean, thinkMs: number) {
  for (let round = 0; live(); round++) {
    const edit = `/records/${target.kind}/${target.id}`;
    await c.submit('save', await c.send('form', `${edit}/edit`), edit, { notes: `压力测试 ${n}-${round % 2 ? '乙' : '甲'}` });
    await sleep(thinkMs);
    if (round % 3 !== 2 || !live()) continue;
    const create = `/pairings/${pairingId}/records/funds`;
    const created = await c.submit('save', await c.send('form', `${create}/new`), create, {
      kind: 'fiscal',
      form: 'money',
      committedFen: '12.5',
      committedFenUnit: 'wan',
      purpose: `压力测试 ${n}-${round}`,
      ref: `SOAK-${n}-${round}`,
    });
    await sleep(thinkMs);
    if (!created) continue;
    const gone = `${created.path}/delete`;
    if (!/^\/records\/funds\/\d+$/.test(created.path)) c.tally.fail('save', `a new fund led to ${created.path}`);
    else await c.submit('save', await c.send('form', gone), gone);
    await sleep(thinkMs);
  }
}

const decode = (s: string) => s.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** Reads an import's page until its check (or commit, or undo) is done; the page. */
async function settled(c: Client, path: string): Promise<Awaited<ReturnType<Client['send']>>> {
  for (let i = 0; i < 240; i++) {
    const page = await c.send('import', path);
    if (!page || !page.text.includes('http-equiv="refresh"')) return page;
    await sleep(500);
  }
  c.tally.fail('import', `${path} still busy after 2 minutes`);
  return undefined;
}

/** One import of `rows` funds onto `pairingIds` (as the template's keys), committed, then undone. */
export async function importRound(c: Client, round: number, pairingIds: number[], year: number, rows: number) {
  const form = await c.send('import', '/imports/new?kind=funds');
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(form?.text ?? '')?.[1];
  const template = await c.send('import', '/imports/template/funds.csv');
  if (!form || !template) return;
  const [labels, keys] = template.body
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .map((l) => l.split(','));
  if (!action || !labels || !keys?.includes('pairing'))
    return c.tally.fail('import', 'no upload form, or a template without 平台编号');
  const values = (i: number): Record<string, string | number> => ({
    pairing: pairingIds[i % pairingIds.length]!,
    year,
    date: `${year}-0${(i % 9) + 1}-15`,
    kind: i % 3 ? 'fiscal' : 'social',
    form: 'money',
    'committedFen:wan': 10 + (i % 7),
    purpose: `压力测试导入 ${round}-${i}`,
    ref: `SOAK-IMPORT-${round}-${i}`,
  });
  const csv = csvText([labels, keys, ...Array.from({ length: rows }, (_, i) => keys.map((k) => values(i)[k] ?? ''))]);
  const upload = new FormData();
  upload.append('file', new Blob([csv], { type: 'text/csv' }), `压力测试-${round}.csv`);
  const sent = await c.send('import', decode(action), upload, (s) => s === 303);
  const path = sent?.location;
  if (!path) return;
  const checked = await settled(c, path);
  const id = path.split('/').pop()!;
  if (checked?.text.includes('class="card warn"')) return c.tally.fail('import', `${path}: the check found bad rows`);
  const committed = await c.submit('import', checked, `/imports/${id}/commit`);
  if (!committed) return;
  const done = await settled(c, path);
  if (!done) return;
  if (!done.text.includes(`/imports/${id}/undo"`)) return c.tally.fail('import', `${path}: the committed import offers no undo`);
  await c.submit('import', await c.send('import', `/imports/${id}/undo`), `/imports/${id}/undo`);
}

/** A scorecard PDF every `everyS` seconds. */
export async function printer(c: Client, path: string, live: () => boolean, everyS: number) {
  while (live()) {
    const t0 = performance.now();
    const pdf = await c.send('pdf', path);
    if (pdf && pdf.body.subarray(0, 5).toString('latin1') !== '%PDF-') c.tally.fail('pdf', `${path} answered 200 without a PDF`);
    const wait = everyS * 1000 - (performance.now() - t0);
    for (let left = wait; left > 0 && live(); left -= 1000) await sleep(Math.min(1000, left));
  }
}

export interface ReadPage {
  key: string;
  path: string;
  cookie?: string;
}

/**
 * Reads with autocannon: each connection goes round the page list, each starting at another page.
 * Anything but 200 is an error (a 302 to the login page would mean a lost session), and so is a 200
 * showing an error message or the login form.
 */
export function reads(base: string, pages: ReadPage[], connections: number, seconds: number, tally: Tally) {
  const requests = pages.map((p) => ({
    method: 'GET' as const,
    path: p.path,
    headers: { ...PROXY_HEADERS, ...(p.cookie ? { cookie: p.cookie } : {}) },
    onResponse: (status: number, body: string) => {
      if (status !== 200) tally.note(`read: ${p.key} (${p.path}) answered ${status}`);
      // a 200 that is an error page, or the login form for a signed-in reader (a lost session), is an error too
      else if (/<div class="alert error"/.test(body) || (p.cookie && /id="f-password"/.test(body)))
        tally.fail('read', `${p.key} (${p.path}) shows an error or the login form`);
    },
  }));
  let next = 0;
  let finished: () => void = () => undefined;
  const done = new Promise<void>((ok) => (finished = ok));
  const instance = autocannon(
    {
      url: base,
      connections,
      duration: seconds,
      timeout: 30,
      requests,
      setupClient: (client) => {
        const k = next++ % requests.length;
        client.setRequests([...requests.slice(k), ...requests.slice(0, k)]);
      },
    },
    (err) => {
      if (err) tally.fail('read', `autocannon: ${err.message}`);
      finished();
    },
  );
  // the error's words come from onResponse, which knows the page
  instance.on('response', (_client, status, _bytes, ms) => tally.record('read', ms, status === 200 ? undefined : ''));
  instance.on('reqError', (err) => tally.fail('read', `network error: ${err.message}`));
  return { stop: () => instance.stop(), done };
}
