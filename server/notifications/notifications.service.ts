import type { Db } from '../../db/client.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { NotFoundError } from '../lib/errors.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../lib/i18n.ts';
import { pageWindow } from '../lib/pagination.ts';
import { liveSummaries, type LiveSummaries } from './notifications.live.ts';
import { labelOf } from './notifications.present.ts';
import * as q from './notifications.queries.ts';

/**
 * A user's notifications: the header's unread count (every page), the list, opening one (it is
 * marked read and leads to what it is about) and marking all read. A user only ever reaches its
 * own: another user's id is a 404. The daily digest makes them (notifications.digest.ts).
 */
export { runDailyDigest, digestRanFor, dayOf } from './notifications.digest.ts';
export { mailerFromConfig, type DigestMailer } from './notifications.mail.ts';

/** How many of the user's notifications are unread: one index search (the header shows it on every page). */
export function unreadCount(db: Db, userId: number): number {
  return q.countUnread(db, userId);
}

export interface NotificationItem {
  id: number;
  label: string;
  link: string;
  unread: boolean;
  createdAt: Date;
}

/** A row labelled; a deadline summary with the live number of sides still open (notifications.live.ts). */
const present = (t: Translate, live: LiveSummaries) => (r: q.NotificationRow) => {
  const open = live.open.get(r.id);
  const params = open === undefined || r.params === null ? r.params : { ...JSON.parse(r.params), n: open };
  return {
    id: r.id,
    label: labelOf(t, r.kind, params),
    link: r.link,
    unread: r.readAt === null,
    createdAt: new Date(r.createdAt),
  };
};

/** A page of the user's rows, leaving out deadline summaries no longer true. */
function rowsOf(db: Db, userId: number, live: LiveSummaries, limit: number, offset: number) {
  return live.hidden.length === 0
    ? q.listOf(db, userId, limit, offset)
    : q.listExcept(db, userId, JSON.stringify(live.hidden), limit, offset);
}

/** The user's newest notifications (for the home page), labelled in the reader's language (Chinese unless given). */
export function recentNotifications(
  db: Db,
  userId: number,
  n: number,
  t: Translate = translator(DEFAULT_LOCALE),
): NotificationItem[] {
  const live = liveSummaries(db, userId);
  return rowsOf(db, userId, live, n, 0).map(present(t, live));
}

/**
 * A page of the user's notifications, newest first, as they stand now, with the unread count
 * of what it shows (the header's own count may still include a summary no longer true).
 */
export function listNotifications(db: Db, actor: Actor, page: number | undefined, t: Translate) {
  const live = liveSummaries(db, actor.id);
  const total = q.countOf(db, actor.id) - live.hidden.length;
  const unread = q.countUnread(db, actor.id) - live.hiddenUnread;
  const w = pageWindow(page, total);
  const items = rowsOf(db, actor.id, live, w.pageSize, w.offset).map(present(t, live));
  return { items, page: w.page, pages: w.pages, total, unread };
}

/** Opens one of the user's notifications: marks it read (audited) and says where it leads. */
export function openNotification(db: Db, actor: Actor, id: number, now: Date): string {
  const found = q.findOwn(db, actor.id, id);
  if (!found) throw new NotFoundError();
  db.transaction((tx) => {
    if (found.readAt !== null) return;
    q.markRead(db, actor.id, id, now.getTime());
    recordAudit(tx, { actorId: actorId(actor), action: 'read', entity: 'notification', entityId: id });
  });
  return found.link;
}

/** Marks every unread notification of the user read (one audit row with how many, none when there were none). */
export function markAllRead(db: Db, actor: Actor, now: Date): number {
  return db.transaction((tx) => {
    const n = q.markAllRead(db, actor.id, now.getTime());
    if (n === 0) return 0;
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'read-all',
      entity: 'notification',
      entityId: actor.id,
      after: { read: n },
    });
    return n;
  });
}
