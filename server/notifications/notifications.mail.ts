import type { SendMailOptions, Transporter } from 'nodemailer';
import type { Db } from '../../db/client.ts';
import type { NotificationKind } from '../../db/schema/index.ts';
import type { SmtpConfig } from '../config.ts';
import { DEFAULT_LOCALE, translator } from '../lib/i18n.ts';
import type { Logger } from '../lib/logger.ts';
import { labelOf } from './notifications.present.ts';
import * as q from './notifications.queries.ts';

/**
 * The digest by mail: one message per user with new items and an email address, when SMTP is set
 * up (SMTP_HOST …). A message that cannot be sent is logged and the others go on: the in-app list
 * has the items anyway.
 */
export interface DigestMailer {
  transport: Pick<Transporter, 'sendMail'>;
  from: string;
}

/**
 * The mailer of the settings, or none when SMTP is not configured (then nothing is attempted).
 * nodemailer is loaded at the first mail, not at start (7 MB the web process needs once a day).
 */
export function mailerFromConfig(smtp: SmtpConfig | undefined): DigestMailer | undefined {
  if (!smtp) return undefined;
  let made: Promise<Transporter> | undefined;
  const sendMail = async (message: SendMailOptions) => {
    made ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: smtp.host,
        port: smtp.port,
        secure: smtp.port === 465,
        ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.pass ?? '' } } : {}),
      }),
    );
    return (await made).sendMail(message);
  };
  return { transport: { sendMail } as Pick<Transporter, 'sendMail'>, from: smtp.from };
}

export async function mailDigests(
  db: Db,
  day: string,
  made: { userId: number; kind: NotificationKind; params: string | null }[],
  mailer: DigestMailer,
  logger?: Logger,
): Promise<number> {
  const t = translator(DEFAULT_LOCALE);
  const byUser = new Map<number, string[]>();
  for (const n of made) {
    const lines = byUser.get(n.userId) ?? [];
    lines.push(`· ${labelOf(t, n.kind, n.params)}`);
    byUser.set(n.userId, lines);
  }
  const emails = new Map(q.activeUsers(db).map((u) => [u.id, u] as const));
  let sent = 0;
  for (const [userId, lines] of byUser) {
    const user = emails.get(userId);
    if (!user?.email) continue;
    try {
      await mailer.transport.sendMail({
        from: mailer.from,
        to: user.email,
        subject: t('notify.mail.subject', { day, n: lines.length }),
        text: [t('notify.mail.greeting', { name: user.displayName }), '', ...lines, '', t('notify.mail.footer')].join('\n'),
      });
      sent++;
    } catch (err) {
      logger?.warn({ err, userId }, 'digest mail not sent');
    }
  }
  return sent;
}
