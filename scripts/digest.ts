/**
 * npm run digest — makes today's notifications (the daily digest) now, and mails them when SMTP_HOST
 * is set. The running app does the same once a day by itself; a second run the same day adds nothing.
 */
import { createDb, migrateDb } from '../db/client.ts';
import { ConfigError, loadConfig } from '../server/config.ts';
import { createLogger } from '../server/lib/logger.ts';
import { mailerFromConfig, runDailyDigest } from '../server/notifications/notifications.service.ts';

try {
  const config = loadConfig();
  const db = createDb(config.databasePath);
  try {
    migrateDb(db);
    const done = await runDailyDigest(db, new Date(), mailerFromConfig(config.smtp), createLogger(config.logLevel));
    console.log(
      done.ran
        ? `digest of ${done.day}: ${done.created} notifications, ${done.mailed} mails`
        : `the digest of ${done.day} has run already: nothing added`,
    );
  } finally {
    db.$client.close();
  }
} catch (err) {
  console.error(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  process.exit(1);
}
