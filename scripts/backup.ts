/**
 * npm run db:backup [-- --to FILE] — an online copy of DATABASE_PATH, checked with PRAGMA
 * integrity_check. Without --to it goes to BACKUP_DIR (default: backups/ beside the database) as
 * app-<UTC time>.db and only the newest BACKUP_KEEP (14) of these stay; the backups page's own
 * (app-manual-<UTC time>.db) are kept apart and never removed here. Safe while the app runs. Exit 1
 * when the copy fails its check (nothing is kept then).
 */
import { parseArgs } from 'node:util';
import { createDb } from '../db/client.ts';
import { copyChecked, takeBackup } from '../server/backups/backups.service.ts';
import { ConfigError, loadConfig } from '../server/config.ts';

try {
  const { values } = parseArgs({ options: { to: { type: 'string' } } });
  const config = loadConfig();
  const db = createDb(config.databasePath);
  try {
    const done = values.to
      ? { ...(await copyChecked(db, values.to)), removed: [] }
      : await takeBackup(db, config.backupDir, config.backupKeep);
    console.log(
      `backed up ${config.databasePath} to ${done.file}: ${(done.bytes / 1048576).toFixed(1)} MB in ${done.ms} ms, integrity_check ${done.check}` +
        (done.removed.length ? `; removed ${done.removed.length} older (keeping ${config.backupKeep})` : ''),
    );
  } finally {
    db.$client.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
}
