import { expect } from 'chai';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import type { Logger } from '../../server/lib/logger.ts';
import {
  mailerFromConfig,
  runDailyDigest,
  unreadCount,
  type DigestMailer,
} from '../../server/notifications/notifications.service.ts';
import { setDeadline } from '../../server/reports/reports.service.ts';
import { updateUser } from '../../server/users/users.service.ts';
import { buildDb, buildUser } from '../support/app.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';

/**
 * The digest by mail: with SMTP set up (here nodemailer's JSON transport, injected), each user with
 * new items and an address gets one message holding all of them; without SMTP nothing is tried and
 * nothing breaks; a mail that cannot be sent is logged and the day's notifications stay.
 */
const at = (day: string) => new Date(`${day}T02:00:00Z`);

async function world() {
  const db = buildDb();
  const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
  const users = {
    gusu: await buildUser(db, { username: 'office.gusu', regionCode: '320508' }),
    jiangsu: await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' }),
    shaanxi: await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' }),
    xincheng: await buildUser(db, { username: 'liaison.xincheng', role: 'liaison', regionCode: '610102' }),
  };
  // 江苏's office has an address but nothing to hear (the county's own office is told of its deadline)
  const emails = {
    gusu: 'gs@example.gov.cn',
    jiangsu: 'js@example.gov.cn',
    shaanxi: 'sx@example.gov.cn',
    xincheng: 'xc@example.gov.cn',
  } as const;
  const admin = await buildUser(db, { username: 'admin.root', role: 'admin' });
  for (const [who, email] of Object.entries(emails)) {
    const u = users[who as keyof typeof emails];
    updateUser(
      db,
      admin.id,
      u.id,
      { displayName: `测试 ${u.username}`, role: u.role, regionCode: u.regionCode, email, version: 1 },
      new Date(),
    );
  }
  return { db, county, users };
}

/** A mailer over nodemailer's JSON transport that keeps what it sent. */
function jsonMailer() {
  const sent: { to: string; subject: string; text: string }[] = [];
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const mailer: DigestMailer = {
    from: 'ewc@example.gov.cn',
    transport: {
      sendMail: async (mail: SendMailOptions) => {
        const info = await transport.sendMail(mail);
        const message = JSON.parse(String(info.message)) as { to: { address: string }[]; subject: string; text: string };
        sent.push({ to: message.to[0]!.address, subject: message.subject, text: message.text });
        return info;
      },
    } as DigestMailer['transport'],
  };
  return { mailer, sent };
}

describe('the daily digest by mail', () => {
  it('when SMTP is set up, then each user with new items and an address gets one message with all of them, once a day', async () => {
    const w = await world();
    const quiet = await runDailyDigest(w.db, at('2024-12-12')); // no SMTP: nothing tried, nothing breaks
    expect(quiet).to.include({ ran: true, mailed: 0 });
    setDeadline(w.db, SYSTEM, 2024, '2024-12-20');
    buildRecord(w.db, 'funds', w.county.id, { ref: 'A-1' });
    buildRecord(w.db, 'consumption', w.county.id, { ref: 'A-2' });
    const { mailer, sent } = jsonMailer();
    const run = await runDailyDigest(w.db, at('2024-12-13'), mailer);
    expect(sent.map((m) => m.to).sort()).to.deep.equal(['gs@example.gov.cn', 'sx@example.gov.cn', 'xc@example.gov.cn']);
    expect(run.mailed).to.equal(3);
    const shaanxi = sent.find((m) => m.to === 'sx@example.gov.cn')!;
    expect(shaanxi.subject).to.include('2024-12-13').and.include('2 条');
    expect(shaanxi.text)
      .to.include('姑苏区 → 新城区：受援方 2024 年度数据尚未报送')
      .and.include('姑苏区 → 新城区：对方修改了 2 条记录');
    expect(unreadCount(w.db, w.users.jiangsu.id)).to.equal(0);
    expect((await runDailyDigest(w.db, at('2024-12-13'), mailer)).mailed).to.equal(0);
    expect(sent).to.have.length(3);
  });

  it('when the mail server refuses, then it is logged, the digest finishes and the notifications stay', async () => {
    const w = await world();
    setDeadline(w.db, SYSTEM, 2024, '2024-12-20');
    const warned: unknown[] = [];
    const logger = { warn: (o: unknown) => warned.push(o), info: () => undefined } as unknown as Logger;
    const mailer: DigestMailer = {
      from: 'ewc@example.gov.cn',
      transport: { sendMail: () => Promise.reject(new Error('connection refused')) } as unknown as DigestMailer['transport'],
    };
    const run = await runDailyDigest(w.db, at('2024-12-13'), mailer, logger);
    expect(run).to.include({ ran: true, mailed: 0 });
    expect(warned).to.have.length(2); // 姑苏 and 陕西 have an address and a reminder
    expect(unreadCount(w.db, w.users.shaanxi.id)).to.equal(1);
  });

  it('the SMTP settings are optional: none means no mailer; a host makes one; a bad sender address stops the start', () => {
    expect(loadConfig({}).smtp).to.equal(undefined);
    expect(mailerFromConfig(loadConfig({}).smtp)).to.equal(undefined);
    const smtp = loadConfig({
      SMTP_HOST: 'smtp.example.gov.cn',
      SMTP_USER: 'ewc',
      SMTP_PASS: 'secret',
      SMTP_FROM: 'ewc@example.gov.cn',
    }).smtp;
    expect(smtp).to.deep.include({ host: 'smtp.example.gov.cn', port: 587, from: 'ewc@example.gov.cn' });
    expect(mailerFromConfig(smtp)).to.have.property('from', 'ewc@example.gov.cn');
    expect(() => loadConfig({ SMTP_HOST: 'smtp.example.gov.cn', SMTP_FROM: 'not an address' })).to.throw(
      ConfigError,
      /SMTP_FROM/,
    );
  });
});
