import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import type { RouteDef } from '../lib/routes.ts';
import { parseInput } from '../lib/validation.ts';
import { flash } from '../middleware/flash.ts';
import { idParam } from '../middleware/params.ts';
import { ListNotifications } from './notifications.schema.ts';
import * as notifications from './notifications.service.ts';

/**
 * The user's notifications (提醒): the list, newest first; opening one marks it read and goes to
 * what it is about; "mark all read" (reversible in effect: nothing is lost, so no confirmation).
 * Both are forms (POST, CSRF), so no link or prefetch marks anything read by itself.
 */
export function notificationRoutes(db: Db, clock: () => Date): RouteDef[] {
  /** @route GET /notifications */
  function list(req: Request, res: Response) {
    const parsed = parseInput(ListNotifications, req.query);
    const page = parsed.ok ? parsed.data.page : undefined;
    const result = notifications.listNotifications(db, req.user!, page, res.locals.t);
    // the header's count as the list stands (summaries no longer true left out)
    res.render('notifications/list', { title: res.locals.t('notify.title'), result, unreadCount: result.unread, params: {} });
  }

  /** @route POST /notifications/:nid/open — marks it read and goes to what it is about */
  function open(req: Request, res: Response) {
    const link = notifications.openNotification(db, req.user!, idParam(req, 'nid'), clock());
    res.redirect(303, link);
  }

  /** @route POST /notifications/read-all */
  function readAll(req: Request, res: Response) {
    const n = notifications.markAllRead(db, req.user!, clock());
    flash(req, 'success', 'notify.allRead', { n });
    res.redirect(303, '/notifications');
  }

  return [
    { method: 'get', path: '/notifications', access: 'user', handler: list },
    { method: 'post', path: '/notifications/read-all', access: 'user', handler: readAll },
    { method: 'post', path: '/notifications/:nid/open', access: 'user', handler: open },
  ];
}
