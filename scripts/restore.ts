/**
 * npm run db:restore -- FILE — puts a backup in place of DATABASE_PATH. The app must be stopped
 * (refused while it runs); the file must pass PRAGMA integrity_check. The database it replaces is
 * kept beside it as <name>.before-restore-<stamp>.
 */
import { restoreBackup } from '../server/backups/backups.service.ts';
import { ConfigError, loadConfig } from '../server/config.ts';

const file = process.argv[2];
if (!file) {
  console.error(
    'usage: npm run db:restore -- FILE (a backup in BACKUP_DIR: app-….db from npm run db:backup, or app-manual-….db from the backups page)',
  );
  process.exit(2);
}
try {
  const config = loadConfig();
  const done = await restoreBackup(file, config.databasePath);
  console.log(
    `restored ${file} to ${config.databasePath} (integrity_check ${done.check})` +
      (done.kept ? `; the database it replaced is kept as ${done.kept}` : ''),
  );
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
}
