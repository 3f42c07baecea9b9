import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { auditLog, evidence } from '../../db/schema/index.ts';
import { uploadDir, uploadPrefix } from '../../server/lib/uploads.ts';
import { seedAssessment } from '../../server/demo/demo.seed.ts';
import { buildApp, buildUser, csrfOf, PASSWORD } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { deflatedZeros, stored, zipOf } from '../support/zip.ts';

const KEY = 'r.assisting.320000'; // 江苏, whose office may upload while 2024 is at self-assessment
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const BOUNDARY = 'ewc-boundary';

/** This process's files in the upload folder (other test runs may share it). */
const leftovers = () => (existsSync(uploadDir) ? readdirSync(uploadDir).filter((f) => f.startsWith(uploadPrefix)) : []);

async function world() {
  const { app, db } = buildApp();
  buildJiangsuShaanxi(db);
  seedAssessment(db); // 2024 open at self-assessment
  const office = await buildUser(db, { role: 'staff', regionCode: '320000', username: 'office.jiangsu' });
  const other = await buildUser(db, { role: 'staff', regionCode: '440000', username: 'office.guangdong' });
  const liaison = await buildUser(db, { role: 'liaison', regionCode: '610000', username: 'liaison.shaanxi' });
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { db, server, base, office, other, liaison };
}

/** Signs in through the real form; returns the session cookie and a CSRF token of the session. */
async function signIn(base: string, user: { username: string }) {
  const login = await fetch(`${base}/login`);
  let cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: user.username, password: PASSWORD, _csrf: csrfOf(await login.text()) }),
  });
  expect(res.status).to.equal(302);
  cookie =
    res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ') || cookie;
  const home = await fetch(`${base}/`, { headers: { cookie } });
  return { cookie, token: csrfOf(await home.text()) };
}

const ANNOUNCED = 9 * 1024 * 1024;
/** Generous: a loaded CI machine may be slow to answer, but a server waiting for the body never does. */
const NO_ANSWER_MS = 30_000;

/**
 * Announces a 9 MB upload but sends only its first 64 kB, then waits: a server that reads the
 * body first never answers (status 0 after a long wait); one that checks first answers while the
 * client has sent only those 64 kB (`sent`).
 */
function startUpload(base: string, path: string, cookie = ''): Promise<{ status: number; sent: number }> {
  let sent = 0;
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="objectKey"\r\n\r\n${KEY}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF`,
  );
  return new Promise((resolve) => {
    const req = request(`${base}${path}`, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'content-length': String(ANNOUNCED),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      resolve({ status: 0, sent });
    }, NO_ANSWER_MS);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.resume();
      req.destroy();
      resolve({ status: res.statusCode ?? 0, sent });
    });
    req.on('error', () => undefined);
    for (const chunk of [head, Buffer.alloc(64 * 1024)]) {
      req.write(chunk);
      sent += chunk.length;
    }
  });
}

/** A whole multipart upload through fetch. */
async function upload(base: string, auth: { cookie: string; token: string }, file: Buffer, name: string, type: string) {
  const form = new FormData();
  form.set('_csrf', auth.token);
  form.set('objectKey', KEY);
  form.set('indicatorKey', '');
  form.set('file', new Blob([file], { type }), name);
  const res = await fetch(`${base}/assessment/2024/evidence?objectKey=${KEY}&_csrf=${auth.token}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: auth.cookie },
    body: form,
  });
  return { status: res.status, location: res.headers.get('location') ?? '', text: await res.text() };
}

/** The page a redirect leads to, as the browser would show it (with its flash message). */
async function follow(base: string, auth: { cookie: string }, location: string) {
  return (await fetch(`${base}${location}`, { headers: { cookie: auth.cookie } })).text();
}

describe('robustness: uploads are checked before their body is read', function () {
  this.timeout(120_000);
  let w: Awaited<ReturnType<typeof world>>;
  let server: Server;
  before(async () => {
    w = await world();
    server = w.server;
  });
  after(async () => {
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections(); // fetch keeps its sockets alive: without this, close() waits for them
    await closed;
  });

  it('when someone without the right starts a large upload, then the server answers before the body is sent', async () => {
    const other = await signIn(w.base, w.other); // 广东's office: not its object
    const liaison = await signIn(w.base, w.liaison); // a role that never uploads
    const office = await signIn(w.base, w.office);
    const path = `/assessment/2024/evidence?objectKey=${KEY}`;
    const cases = {
      anonymous: await startUpload(w.base, `${path}&_csrf=x`),
      liaison: await startUpload(w.base, `${path}&_csrf=${liaison.token}`, liaison.cookie),
      noCsrf: await startUpload(w.base, path, office.cookie),
      otherOffice: await startUpload(w.base, `${path}&_csrf=${other.token}`, other.cookie),
      noRound: await startUpload(w.base, `/assessment/2030/evidence?objectKey=${KEY}&_csrf=${office.token}`, office.cookie),
    };
    expect(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, v.status]))).to.deep.equal({
      anonymous: 302,
      liaison: 403,
      noCsrf: 403,
      otherOffice: 403,
      noRound: 404,
    });
    // every answer came while the client had sent 64 kB of the 9 MB it announced
    for (const c of Object.values(cases)) expect(c.sent).to.be.below(100 * 1024);
  });

  it('when someone without the right starts a large import upload, then the server answers before the body is sent', async () => {
    const liaison = await signIn(w.base, w.liaison);
    const office = await signIn(w.base, w.office);
    const cases = {
      anonymous: await startUpload(w.base, '/imports?kind=funds&_csrf=x'),
      liaison: await startUpload(w.base, `/imports?kind=funds&_csrf=${liaison.token}`, liaison.cookie),
      noCsrf: await startUpload(w.base, '/imports?kind=funds', office.cookie),
      noKind: await startUpload(w.base, `/imports?kind=nothing&_csrf=${office.token}`, office.cookie),
    };
    expect(Object.fromEntries(Object.entries(cases).map(([k, v]) => [k, v.status]))).to.deep.equal({
      anonymous: 302,
      liaison: 403,
      noCsrf: 403,
      noKind: 404,
    });
    for (const c of Object.values(cases)) expect(c.sent).to.be.below(100 * 1024);
  });

  it('when ten refused uploads of 9 MB arrive at once, then all are answered at once and nothing is stored', async () => {
    const other = await signIn(w.base, w.other);
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        startUpload(w.base, `/assessment/2024/evidence?objectKey=${KEY}&_csrf=${other.token}`, other.cookie),
      ),
    );
    expect(results.map((r) => r.status)).to.deep.equal(Array(10).fill(403));
    expect(w.db.select().from(evidence).all()).to.have.length(0);
  });

  it('when the office uploads a 9 MB PDF, then it is stored and its temp file is gone', async () => {
    const office = await signIn(w.base, w.office);
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(9 * 1024 * 1024)]);
    const res = await upload(w.base, office, pdf, '自评报告.pdf', 'application/pdf');
    expect(res.status).to.equal(303);
    expect(w.db.select().from(evidence).all()).to.have.length(1);
    expect(leftovers()).to.deep.equal([]);
  });

  it('when a .docx is a zip bomb (200 MB of zeros in one entry), then it is refused with a clear message and nothing is kept', async () => {
    const office = await signIn(w.base, w.office);
    const before = w.db.select().from(evidence).all().length;
    const zeros = await deflatedZeros(200);
    const bomb = zipOf([stored('[Content_Types].xml', '<Types/>'), { name: 'word/document.xml', method: 8, ...zeros }]);
    expect(bomb.length).to.be.below(1024 * 1024); // small on the wire
    const res = await upload(w.base, office, bomb, '报告.docx', DOCX);
    expect(res).to.include({ status: 303, location: `/assessment/2024/scorecards/${KEY}` });
    expect(await follow(w.base, office, res.location))
      .to.contain('压缩炸弹')
      .and.to.contain('东西部协作工作平台');
    // the same bomb declaring a small size (the central directory lies) is refused too
    const liar = zipOf([{ name: 'word/document.xml', method: 8, data: zeros.data, crc: zeros.crc, size: 1000 }]);
    const lied = await upload(w.base, office, liar, '报告.docx', DOCX);
    expect(lied.status).to.equal(303);
    expect(await follow(w.base, office, lied.location)).to.contain('压缩炸弹');
    // and so is one with more entries than any Office file has
    const many = zipOf(Array.from({ length: 10_001 }, (_, i) => stored(`f${i}.xml`, '')));
    const crowded = await upload(w.base, office, many, '报告.docx', DOCX);
    expect(crowded.status).to.equal(303);
    expect(await follow(w.base, office, crowded.location)).to.contain('条目过多');
    expect(w.db.select().from(evidence).all()).to.have.length(before);
    expect(leftovers()).to.deep.equal([]);
  });

  it('when an upload is stored, then it writes one audit row, and nothing at all when the audit cannot be written', async () => {
    const office = await signIn(w.base, w.office);
    const pdf = Buffer.from('%PDF-1.4\n% 佐证\n%%EOF\n');
    const files = w.db.select().from(evidence).all().length;
    w.db.$client.exec(
      "CREATE TEMP TRIGGER audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END",
    );
    try {
      expect((await upload(w.base, office, pdf, '佐证.pdf', 'application/pdf')).status).to.be.at.least(500);
    } finally {
      w.db.$client.exec('DROP TRIGGER audit_down');
    }
    expect(w.db.select().from(evidence).all()).to.have.length(files);
    const audits = w.db.select().from(auditLog).all().length;
    expect((await upload(w.base, office, pdf, '佐证.pdf', 'application/pdf')).status).to.equal(303);
    expect(w.db.select().from(evidence).all()).to.have.length(files + 1);
    expect(w.db.select().from(auditLog).all()).to.have.length(audits + 1);
  });

  it('when a .docx is an ordinary small zip, then it is accepted', async () => {
    const office = await signIn(w.base, w.office);
    const docx = zipOf([stored('[Content_Types].xml', '<Types/>'), stored('word/document.xml', '<w:document>自评</w:document>')]);
    expect((await upload(w.base, office, docx, '自评.docx', DOCX)).status).to.equal(303);
  });

  it('when an upload is accepted or refused, then the answer is a redirect, and no page or link carries the CSRF token', async () => {
    const office = await signIn(w.base, w.office);
    const token = encodeURIComponent(office.token);
    const refused = await upload(w.base, office, Buffer.from('MZ not a pdf'), 'report.pdf', 'application/pdf');
    expect(refused).to.include({ status: 303, location: `/assessment/2024/scorecards/${KEY}` });
    const card = await follow(w.base, office, refused.location);
    expect(card).to.contain('只接受 PDF'); // the refusal, shown on the scorecard
    expect(card).to.contain('_csrf='); // the upload form itself still needs the token…
    const links = [...card.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(links.filter((l) => l.includes(token) || l.includes(office.token))).to.deep.equal([]); // …but no link carries it
    // an error page answered at the upload's own address: its language links hold no token either
    const lost = await fetch(`${w.base}/assessment/2030/evidence?objectKey=${KEY}&_CSRF=x&_csrf=${office.token}`, {
      method: 'POST',
      headers: { cookie: office.cookie, accept: 'text/html' },
    });
    expect(lost.status).to.equal(404);
    const page = await lost.text();
    expect(page).to.contain('东西部协作工作平台');
    const pageLinks = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(pageLinks.some((l) => l.includes('/lang/'))).to.equal(true);
    expect(pageLinks.filter((l) => l.includes(token) || l.includes(office.token))).to.deep.equal([]);
  });
});
