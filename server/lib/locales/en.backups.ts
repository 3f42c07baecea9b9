/** English texts of the backups page, merged into en.ts. Keys must match zh-CN.backups.ts. */
export const enbackups: Record<string, string> = {
  'nav.backups': 'Backups',
  'backups.title': 'Backups',
  'backups.folder': 'Backup folder',
  'backups.keep': 'Kept',
  'backups.keepN': 'the newest {n}; older ones are removed (BACKUP_KEEP)',
  'backups.latest': 'Last backup',
  'backups.take': 'Back up now',
  'backups.takeHelp':
    'Copies the database online (the app keeps running), then opens the copy and checks its integrity; only a copy that passes is kept. The same as npm run db:backup.',
  'backups.at': 'Taken at',
  'backups.file': 'File',
  'backups.size': 'Size',
  'backups.check': 'Integrity check (when taken)',
  'backups.checkOk': 'check passed',
  'backups.checkFailed': 'failed: {detail}',
  'backups.checkUnknown': 'not recorded',
  'backups.checkHelp':
    'The check is the one recorded when the backup was taken, not run again on every view. “Not recorded”: an older backup without a record, or a file changed since it was checked; a restore (npm run db:restore) checks again first.',
  'backups.none': 'No backups yet',
  'backups.noneHelp': 'Press “Back up now” above, or run this on the server (a cron job or systemd timer can run it regularly):',
  'backups.done': 'Backup done: {file}, {size}, check passed.',
  'backups.removed': 'Removed {n} older backups, keeping the newest {keep}.',
  'backups.failed': 'The backup failed: {reason}',
  'backups.problem.notAFolder': 'The backup location {dir} is not a folder (a file is there). Set BACKUP_DIR to a folder.',
  'backups.problem.denied':
    'No permission to write to or read {dir}. Check the folder’s permissions (the user the app runs as must be able to write there).',
  'backups.problem.full': 'The disk is full: no room for a backup in {dir}. Free some space or lower BACKUP_KEEP.',
  'backups.problem.check': 'The copy failed its integrity check and was deleted; nothing was kept ({detail}).',
  'backups.problem.other': 'Could not complete the backup in {dir} ({detail}).',
};
