import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { assertWritable, createDb, databaseProblem, migrateDb, optimizeDb, type Db } from '../db/client.ts';
import { createApp } from './app.ts';
import { failInterruptedImports } from './exchange/imports.service.ts';
import { pidFileOf } from './backups/backups.service.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { DEMO_OPTIONS, hasPairings, seedAssessment, seedDataset, seedDemo, seedReports } from './demo/demo.seed.ts';
import { createLogger } from './lib/logger.ts';
import { stopImportThread } from './exchange/imports.thread.ts';
import { loadRegionTree } from './regions/regions.loader.ts';
import { sweepLeftUploads } from './lib/uploads.ts';
import { digestRanFor, mailerFromConfig, runDailyDigest } from './notifications/notifications.service.ts';

let config: Config;
try {
  config = loadConfig(process.env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(1);
}

const logger = createLogger(config.logLevel);

/** A database that cannot be opened, migrated or written stops the start with one line (exit 1). */
function failOnDatabase(err: unknown): never {
  const line = databaseProblem(config.databasePath, err);
  if (!line) throw err;
  console.error(line);
  process.exit(1);
}

let db: Db;
try {
  db = createDb(config.databasePath);
  migrateDb(db);
  assertWritable(db);
  optimizeDb(db);
  const started = performance.now();
  const loaded = loadRegionTree(db);
  if (loaded > 0) logger.info({ regions: loaded, ms: Math.round(performance.now() - started) }, 'region tree loaded');
} catch (err) {
  failOnDatabase(err);
}

if (config.demo) {
  try {
    if (!hasPairings(db)) {
      const t0 = performance.now();
      const seeded = seedDataset(db, DEMO_OPTIONS);
      logger.info({ ...seeded, ms: Math.round(performance.now() - t0) }, 'demo data seeded');
    }
    const demo = await seedDemo(db, config.demoPassword);
    // the demo is tried in its last year: earlier rounds published, this year's open at self-assessment
    seedAssessment(db, DEMO_OPTIONS.lastYear);
    seedReports(db, DEMO_OPTIONS.lastYear);
    if (demo) {
      const lines = demo.accounts.map(
        (a) => `  ${a.username.padEnd(16)} ${a.role.padEnd(10)} ${a.regionCode ?? '全国 / whole country'}`,
      );
      console.log(`\nDemo accounts (password: ${demo.password})\n${lines.join('\n')}\n`);
    }
  } catch (err) {
    failOnDatabase(err);
  }
}

const app = createApp({ db, config, logger });
app.sessionStore.prune();
// one process serves the database (its pid file says so): a check still running here was cut off
failInterruptedImports(db);
// and the files of uploads it was receiving or checking then
const swept = sweepLeftUploads();
if (swept > 0) logger.info({ files: swept }, 'uploads left by a stopped process removed');
const pruneTimer = setInterval(() => app.sessionStore.prune(), 60 * 60 * 1000).unref();

// The daily digest: once an hour, whether today's has run (here or by `npm run digest`); it runs once a day.
// Not in createApp, so tests drive it with their own clock. A failure is logged; the app goes on.
const mailer = mailerFromConfig(config.smtp);
function digestIfDue() {
  try {
    if (digestRanFor(db, new Date())) return;
  } catch (err) {
    logger.error({ err }, 'daily digest check failed');
    return;
  }
  runDailyDigest(db, new Date(), mailer, logger).catch((err: unknown) => logger.error({ err }, 'daily digest failed'));
}
const digestTimer = setInterval(digestIfDue, 60 * 60 * 1000).unref();
setTimeout(digestIfDue, 60 * 1000).unref();

const server = createServer(app);
// `npm run db:restore` refuses to replace the database while this file names a live process
const pidFile = config.databasePath === ':memory:' ? null : pidFileOf(config.databasePath);
server.listen(config.port, () => {
  if (pidFile) writeFileSync(pidFile, `${process.pid}\n`);
  logger.info(`listening on http://localhost:${config.port}`);
});
process.once('exit', () => {
  if (pidFile) rmSync(pidFile, { force: true });
});

/** Stop accepting, let requests in flight finish, then close the shared PDF browser, the imports' thread and the database. */
function shutdown(signal: string) {
  logger.info({ signal }, 'shutting down');
  clearInterval(pruneTimer);
  clearInterval(digestTimer);
  server.close(() => {
    void Promise.allSettled([app.pdf.close(), stopImportThread()]).finally(() => {
      db.$client.close();
      process.exit(0);
    });
  });
  server.closeIdleConnections();
  setTimeout(() => {
    logger.warn('forcing shutdown after 10 s');
    server.closeAllConnections();
  }, 10_000).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
