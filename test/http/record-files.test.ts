import { once } from 'node:events';
import type { Response } from 'supertest';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { and, eq } from 'drizzle-orm';
import type { Agent } from 'supertest';
import { auditLog, recordFiles } from '../../db/schema/index.ts';
import { MAX_FILES_PER_RECORD, filesOfRecords } from '../../server/records/records.files.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildGuangdongGuizhou, buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

const FIXED = () => new Date('2024-06-15T08:00:00Z');
const PDF = Buffer.from('%PDF-1.4\n% 拨付凭证\n%%EOF\n');

const binary = (res: Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

async function world() {
  const { app, db } = buildApp(undefined, {}, FIXED);
  const js = buildJiangsuShaanxi(db);
  const gg = buildGuangdongGuizhou(db);
  const transfer = buildRecord(db, 'funds', js.county.id); // entered by 江苏, the assisting side
  const project = buildRecord(db, 'projects', js.county.id);
  const users = {
    jiangsu: await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' }),
    shaanxi: await buildUser(db, { username: 'office.shaanxi', role: 'staff', regionCode: '610000' }),
    liaisonShaanxi: await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' }),
    liaisonGuizhou: await buildUser(db, { username: 'liaison.guizhou', role: 'liaison', regionCode: '520000' }),
  };
  return { app, db, js, gg, transfer, project, users };
}

/** Uploads a file the way the record page's form does: the CSRF token in the action's query string and in the body. */
async function upload(agent: Agent, path: string, body: Buffer, filename: string, type: string) {
  const token = await csrfFor(agent, path);
  return agent.post(`${path}/files?_csrf=${token}`).field('_csrf', token).attach('file', body, { filename, contentType: type });
}

/** The agent's session cookie (supertest keeps it in its jar). */
async function cookieOf(agent: Agent): Promise<string> {
  return ((await agent.get('/')).request as unknown as { cookies: string }).cookies;
}

/**
 * Announces an upload of `announced` bytes but sends only its first 64 kB, then waits: a server
 * that checks before reading the body answers while the client has sent only those (`sent`); one
 * that reads the body first never answers (status 0 after 20 s).
 */
async function startUpload(app: Parameters<typeof createServer>[1], agent: Agent, path: string, announced: number) {
  const cookie = await cookieOf(agent);
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const port = (server.address() as AddressInfo).port;
    return await new Promise<{ status: number; location: string; sent: number }>((resolve) => {
      let sent = 0;
      const req = request(`http://127.0.0.1:${port}${path}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(announced) },
      });
      const timer = setTimeout(() => (req.destroy(), resolve({ status: 0, location: '', sent })), 20_000);
      req.on('response', (res) => {
        clearTimeout(timer);
        res.resume();
        req.destroy();
        resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? ''), sent });
      });
      req.on('error', () => undefined);
      const head = Buffer.from(
        '--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF',
      );
      for (const chunk of [head, Buffer.alloc(64 * 1024)]) {
        req.write(chunk);
        sent += chunk.length;
      }
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

describe('files attached to records', () => {
  it('when 江苏 attaches a voucher to its transfer, then both sides and their liaison see it listed with name, size, who and when, download the same bytes, and 贵州 gets 404', async () => {
    const { app, db, transfer, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const page = `/records/funds/${transfer.id}`;
    expect((await jiangsu.get(page)).text)
      .to.contain('暂无附件')
      .and.to.contain('enctype="multipart/form-data"');

    const res = await upload(jiangsu, page, PDF, '拨付凭证.pdf', 'application/pdf');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(page);
    const shown = (await jiangsu.get(page)).text;
    expect(shown).to.contain('已上传附件').and.to.contain('拨付凭证.pdf').and.to.contain(`${PDF.length} B`);
    expect(shown).to.contain('测试 office.jiangsu').and.to.contain('2024-06-15'.slice(0, 4));
    // the history names the action and the file
    expect(shown).to.match(/<td>上传附件<\/td>\s*<td class="diff">\s*<p><span class="field-name">附件<\/span>：拨付凭证\.pdf/);

    const [file] = db.select().from(recordFiles).all();
    expect(file).to.include({ recordKind: 'funds', recordId: transfer.id, filename: '拨付凭证.pdf', size: PDF.length });
    const audit = db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'attach'), eq(auditLog.entityId, String(transfer.id))))
      .all();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorId: users.jiangsu.id, entity: 'record.funds' });

    const href = `${page}/files/${file!.id}`;
    for (const reader of [users.shaanxi, users.liaisonShaanxi]) {
      const agent = await loginAs(app, reader);
      const readerPage = (await agent.get(page)).text;
      expect(readerPage).to.contain('拨付凭证.pdf');
      expect(readerPage).not.to.contain('enctype="multipart/form-data"'); // not theirs to attach to
      expect(readerPage).not.to.contain(`${href}/delete`);
      const got = await agent.get(href).buffer(true).parse(binary);
      expect(got.status).to.equal(200);
      expect((got.body as Buffer).equals(PDF)).to.equal(true);
      expect(got.headers['content-disposition']).to.contain(encodeURIComponent('拨付凭证.pdf'));
    }
    const guizhou = await loginAs(app, users.liaisonGuizhou);
    expect((await guizhou.get(href)).status).to.equal(404);
    expect((await guizhou.get(page)).status).to.equal(404);
    // a file asked for under another record is not found either
    expect((await jiangsu.get(`/records/funds/${transfer.id + 1000}/files/${file!.id}`)).status).to.equal(404);
  });

  it('when a file is not what it claims to be, then it is refused with a message and nothing is kept', async () => {
    const { app, db, project, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const page = `/records/projects/${project.id}`;
    const fake = await upload(jiangsu, page, Buffer.from('MZ not a pdf'), 'contract.pdf', 'application/pdf');
    expect(fake.status).to.equal(303);
    expect(fake.headers.location).to.equal(page);
    expect((await jiangsu.get(page)).text).to.contain('只接受 PDF、PNG、JPG、docx 或 xlsx 文件');
    const exe = await upload(jiangsu, page, Buffer.from('MZ'), 'setup.exe', 'application/octet-stream');
    expect(exe.status).to.equal(303);
    expect(db.select().from(recordFiles).all()).to.have.length(0);
    // a contract as a real PDF goes in
    expect((await upload(jiangsu, page, PDF, '项目合同.pdf', 'application/pdf')).status).to.equal(303);
    expect((await jiangsu.get(page)).text).to.contain('项目合同.pdf');
  });

  it('when the other side or a read-only role tries to attach, then it is refused before the body is read, and without the CSRF token too', async () => {
    const { app, db, transfer, users } = await world();
    const page = `/records/funds/${transfer.id}`;
    const shaanxi = await loginAs(app, users.shaanxi);
    expect((await upload(shaanxi, page, PDF, 'a.pdf', 'application/pdf')).status).to.equal(403);
    const early = await startUpload(app, shaanxi, `${page}/files?_csrf=${await csrfFor(shaanxi, page)}`, 1024 * 1024);
    expect(early.status).to.equal(403);
    expect(early.sent).to.be.below(100 * 1024);
    const liaison = await loginAs(app, users.liaisonShaanxi);
    expect((await upload(liaison, page, PDF, 'a.pdf', 'application/pdf')).status).to.equal(403);
    const guizhouOffice = await buildUser(db, { username: 'office.guizhou', role: 'staff', regionCode: '520000' });
    const guizhou = await loginAs(app, guizhouOffice);
    expect((await upload(guizhou, page, PDF, 'a.pdf', 'application/pdf')).status).to.equal(404);
    const jiangsu = await loginAs(app, users.jiangsu);
    const noToken = await jiangsu
      .post(`${page}/files`)
      .attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' });
    expect(noToken.status).to.equal(403);
    expect(db.select().from(recordFiles).all()).to.have.length(0);
  });

  it('when the owner removes a file, then it asks first, the file is gone, the removal is audited, and the other side may not remove', async () => {
    const { app, db, transfer, users } = await world();
    const page = `/records/funds/${transfer.id}`;
    const jiangsu = await loginAs(app, users.jiangsu);
    await upload(jiangsu, page, PDF, '凭证.pdf', 'application/pdf');
    const [file] = db.select().from(recordFiles).all();
    const href = `${page}/files/${file!.id}`;
    expect((await jiangsu.get(page)).text).to.contain(`${href}/delete`);

    const shaanxi = await loginAs(app, users.shaanxi);
    expect((await shaanxi.get(`${href}/delete`)).status).to.equal(403);
    const theirToken = await csrfFor(shaanxi, page);
    expect((await shaanxi.post(`${href}/delete`).type('form').send({ _csrf: theirToken })).status).to.equal(403);

    const confirm = await jiangsu.get(`${href}/delete`);
    expect(confirm.status).to.equal(200);
    expect(confirm.text).to.contain('凭证.pdf').and.to.contain('删除后无法恢复');
    const token = await csrfFor(jiangsu, `${href}/delete`);
    const gone = await jiangsu.post(`${href}/delete`).type('form').send({ _csrf: token });
    expect(gone.status).to.equal(303);
    expect(gone.headers.location).to.equal(page);
    expect(db.select().from(recordFiles).all()).to.have.length(0);
    expect((await jiangsu.get(page)).text)
      .to.contain('已删除附件“凭证.pdf”')
      .and.to.contain('删除附件');
    expect((await jiangsu.get(href)).status).to.equal(404);
    const audit = db.select().from(auditLog).where(eq(auditLog.action, 'detach')).all();
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({ actorId: users.jiangsu.id, entity: 'record.funds', entityId: String(transfer.id) });
  });

  it(`when a record already holds ${MAX_FILES_PER_RECORD} files, then one more is refused with a message before its body is read`, async () => {
    const { app, db, transfer, users } = await world();
    for (let i = 0; i < MAX_FILES_PER_RECORD; i++)
      db.insert(recordFiles)
        .values({
          recordKind: 'funds',
          recordId: transfer.id,
          userId: users.jiangsu.id,
          filename: `${i}.pdf`,
          mime: 'application/pdf',
          size: 4,
          data: PDF,
        })
        .run();
    const jiangsu = await loginAs(app, users.jiangsu);
    const page = `/records/funds/${transfer.id}`;
    const res = await startUpload(app, jiangsu, `${page}/files?_csrf=${await csrfFor(jiangsu, page)}`, 1024 * 1024);
    expect(res).to.include({ status: 303, location: page });
    expect(res.sent).to.be.below(100 * 1024);
    expect((await jiangsu.get(page)).text).to.contain(`附件已达上限（${MAX_FILES_PER_RECORD} 个）`);
    expect(db.select().from(recordFiles).all()).to.have.length(MAX_FILES_PER_RECORD);
  });

  it('when an upload announces more than 10 MB, then the owner is answered with a message before the body is sent', async function () {
    this.timeout(60_000);
    const { app, db, transfer, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const page = `/records/funds/${transfer.id}`;
    const token = await csrfFor(jiangsu, page);
    const answer = await startUpload(app, jiangsu, `${page}/files?_csrf=${token}`, 11 * 1024 * 1024);
    expect(answer).to.include({ status: 303, location: page });
    expect(answer.sent).to.be.below(100 * 1024);
    expect((await jiangsu.get(page)).text).to.contain('文件超过 10 MB');
    expect(db.select().from(recordFiles).all()).to.have.length(0);
  });

  it('when the files of a pairing and year are asked for a scorecard, then each comes with its record and link, within the reader’s scope', async () => {
    const { app, db, js, gg, transfer, project, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    await upload(jiangsu, `/records/funds/${transfer.id}`, PDF, '凭证.pdf', 'application/pdf');
    await upload(jiangsu, `/records/projects/${project.id}`, PDF, '合同.pdf', 'application/pdf');
    const other = buildRecord(db, 'funds', js.county.id, { year: 2023, date: '2023-03-01', disbursedOn: '2023-03-02' });
    await upload(jiangsu, `/records/funds/${other.id}`, PDF, '去年.pdf', 'application/pdf');
    const actor = { id: users.jiangsu.id, role: 'staff' as const, scope: '32' };
    const funds = filesOfRecords(db, actor, { pairingIds: [js.county.id], year: 2024, kinds: ['funds'] });
    expect(funds.map((f) => [f.recordKind, f.recordId, f.filename])).to.deep.equal([['funds', transfer.id, '凭证.pdf']]);
    expect(funds[0]!.href).to.match(new RegExp(`^/records/funds/${transfer.id}/files/\\d+$`));
    expect((await jiangsu.get(funds[0]!.href)).status).to.equal(200);
    const all = filesOfRecords(db, actor, { regionPrefix: '32', year: 2024 });
    expect(all.map((f) => f.filename).sort()).to.deep.equal(['凭证.pdf', '合同.pdf'].sort());
    const stranger = { id: users.liaisonGuizhou.id, role: 'liaison' as const, scope: '52' };
    expect(filesOfRecords(db, stranger, { pairingIds: [js.county.id, gg.county.id], year: 2024 })).to.deep.equal([]);
  });
});
