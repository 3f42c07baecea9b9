import type { Request, Response } from 'express';
import type { Db } from '../../db/client.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../lib/logger.ts';
import { formatBytes } from '../lib/present.ts';
import type { RouteDef } from '../lib/routes.ts';
import { flash } from '../middleware/flash.ts';
import { backUpNow, backupOverview } from './backups.admin.ts';
import { MANUAL_KEEP } from './backups.service.ts';

const adminOnly = ['admin'] as const;

export function backupRoutes(
  db: Db,
  config: Pick<Config, 'backupDir' | 'backupKeep'>,
  logger: Logger,
  clock: () => Date,
): RouteDef[] {
  /** @route GET /admin/backups — the backups, newest first, and 立即备份 */
  function list(_req: Request, res: Response) {
    res.render('backups/index', { title: res.locals.t('backups.title'), ...backupOverview(config.backupDir, config.backupKeep) });
  }

  /** @route POST /admin/backups — a backup now (a manual one), in a worker thread; answers when it is done */
  async function create(req: Request, res: Response) {
    const outcome = await backUpNow(db, req.user!.id, config.backupDir, clock());
    if (outcome.ok) {
      const { name, bytes, removed } = outcome.backup;
      flash(req, 'success', 'backups.done', { file: name, size: formatBytes(bytes) });
      if (removed.length) flash(req, 'info', 'backups.removed', { n: removed.length, keep: MANUAL_KEEP });
    } else {
      const { problem, dir, detail } = outcome.failure;
      logger.warn({ err: detail, dir, problem }, 'backup failed');
      flash(req, 'error', 'backups.failed', { reason: res.locals.t(`backups.problem.${problem}`, { dir, detail }) });
    }
    res.redirect('/admin/backups');
  }

  return [
    { method: 'get', path: '/admin/backups', access: adminOnly, handler: list },
    { method: 'post', path: '/admin/backups', access: adminOnly, handler: create },
  ];
}
