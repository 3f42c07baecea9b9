import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { createDb, migrateDb } from '../../db/client.ts';
import { loadRegionTree } from '../../server/regions/regions.loader.ts';
import { backUpNow } from '../../server/backups/backups.admin.ts';
import { checkDatabaseFile, listBackups, restoreBackup, takeBackup } from '../../server/backups/backups.service.ts';
import { buildUser } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { startServer } from '../support/server.ts';

/**
 * Backups (issue 10, item 4): an online copy that passes integrity_check, the newest N kept; a
 * restore only into a stopped instance, only from a good file, keeping what it replaces.
 */
const count = (path: string, table: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  } finally {
    db.close();
  }
};

describe('backups and restores', function () {
  this.timeout(40_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ewc-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function liveDatabase() {
    const path = join(dir, 'app.db');
    const db = createDb(path);
    migrateDb(db);
    loadRegionTree(db);
    const { county } = buildJiangsuShaanxi(db);
    for (let i = 0; i < 5; i++) buildRecord(db, 'funds', county.id);
    return { db, path, county };
  }

  it('when backups are taken while the app writes, then each opens, passes its check, holds the data, and only the newest N stay', async () => {
    const { db, county } = liveDatabase();
    const backups = join(dir, 'backups');
    const first = await takeBackup(db, backups, 2, new Date('2026-11-01T10:00:00.000Z'));
    expect(first.check).to.equal('ok');
    expect(count(first.file, 'funds')).to.equal(5);
    buildRecord(db, 'funds', county.id); // a write between two backups, WAL not yet checkpointed
    const second = await takeBackup(db, backups, 2, new Date('2026-11-02T10:00:00.000Z'));
    expect(count(second.file, 'funds')).to.equal(6);
    const third = await takeBackup(db, backups, 2, new Date('2026-11-03T10:00:00.000Z'));
    expect(third.removed).to.deep.equal([first.file]);
    expect(listBackups(backups).map((b) => b.file)).to.deep.equal([third.file, second.file]);
    expect(listBackups(backups)[0]!.at.toISOString()).to.equal('2026-11-03T10:00:00.000Z');
    db.$client.close();
  });

  it('when scheduled and manual backups share the folder, then each kind is rotated among its own, listed with its kind, and either restores', async () => {
    const { db, path } = liveDatabase();
    const backups = join(dir, 'backups');
    const at = (day: string, kind: 'scheduled' | 'manual') =>
      takeBackup(db, backups, 2, new Date(`2026-11-${day}T10:00:00.000Z`), kind);
    const nightly = [await at('01', 'scheduled'), await at('02', 'scheduled')];
    const manual = [];
    for (const day of ['03', '04', '05']) manual.push(await at(day, 'manual'));
    expect(manual[2]!.removed, 'a manual backup removes only a manual one').to.deep.equal([manual[0]!.file]);
    const third = await at('06', 'scheduled');
    expect(third.removed, 'a scheduled backup removes only a scheduled one').to.deep.equal([nightly[0]!.file]);
    expect(listBackups(backups).map((b) => [basename(b.file), b.kind])).to.deep.equal([
      ['app-20261106-100000000.db', 'scheduled'],
      ['app-manual-20261105-100000000.db', 'manual'],
      ['app-manual-20261104-100000000.db', 'manual'],
      ['app-20261102-100000000.db', 'scheduled'],
    ]);
    db.$client.close();
    const done = await restoreBackup(manual[2]!.file, path);
    expect(done.check).to.equal('ok');
    expect(count(path, 'funds')).to.equal(5);
  });

  it('when the page’s backup is asked for while one is being taken into the same folder, then the second is told so and takes nothing', async () => {
    const { db } = liveDatabase();
    const { id: admin } = await buildUser(db, { role: 'admin' });
    const backups = join(dir, 'backups');
    const first = backUpNow(db, admin, backups, new Date('2026-11-01T10:00:00.000Z'));
    const second = await backUpNow(db, admin, backups, new Date('2026-11-01T10:00:01.000Z'));
    expect(second).to.deep.include({ ok: false });
    expect(second.ok ? undefined : second.failure.problem).to.equal('busy');
    expect(await first).to.deep.include({ ok: true });
    expect(listBackups(backups).map((b) => basename(b.file))).to.deep.equal(['app-manual-20261101-100000000.db']);
    expect((await backUpNow(db, admin, backups, new Date('2026-11-02T10:00:00.000Z'))).ok, 'free again once done').to.equal(true);
    db.$client.close();
  });

  it('when the page’s backup runs in a process started as npm start starts the app (node --import tsx), then its worker thread takes a checked copy', () => {
    const { db, path } = liveDatabase();
    db.$client.close();
    const start = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } }).scripts.start.split(' ');
    expect(start.slice(-1)).to.deep.equal(['server/main.ts']);
    const script = `
      import { createDb } from './db/client.ts';
      import { takeBackupOffThread } from './server/backups/backups.thread.ts';
      const db = createDb(${JSON.stringify(path)});
      const done = await takeBackupOffThread(db, ${JSON.stringify(join(dir, 'backups'))}, 5, new Date(), 'manual');
      console.log(JSON.stringify({ check: done.check, kind: done.kind }));
      db.$client.close();`;
    const run = spawnSync(process.execPath, [...start.slice(1, -1), '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal({ check: 'ok', kind: 'manual' });
    const [backup] = listBackups(join(dir, 'backups'));
    expect(count(backup!.file, 'funds')).to.equal(5);
  });

  it('when a file is not a good database of this app, then the check names the problem', () => {
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'SQLite format 3\0'.padEnd(4096, 'x'));
    expect(checkDatabaseFile(garbage)).to.not.equal('ok');
    const other = join(dir, 'other.db');
    new Database(other).exec('CREATE TABLE t (x)');
    expect(checkDatabaseFile(other)).to.contain('not a database of this app');
    expect(checkDatabaseFile(join(dir, 'missing.db'))).to.not.equal('ok');
  });

  it('when a backup is restored into a stopped instance, then the data is the backup’s and the replaced database is kept; a bad file changes nothing', async () => {
    const { db, path, county } = liveDatabase();
    const backup = await takeBackup(db, join(dir, 'backups'), 5);
    buildRecord(db, 'funds', county.id);
    buildRecord(db, 'funds', county.id);
    db.$client.close();
    expect(count(path, 'funds')).to.equal(7);

    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'not a database at all');
    let refused = '';
    await restoreBackup(garbage, path).catch((err: Error) => (refused = err.message));
    expect(refused).to.contain('failed its check');
    expect(count(path, 'funds')).to.equal(7);

    const done = await restoreBackup(backup.file, path);
    expect(count(path, 'funds')).to.equal(5);
    expect(done.kept).to.be.a('string');
    expect(count(done.kept!, 'funds')).to.equal(7); // the database it replaced, whole
    expect(readdirSync(dir).filter((f) => f.endsWith('.restoring'))).to.deep.equal([]);
  });

  it('when the app runs on the database, then npm run db:restore refuses; once it stopped, db:backup and db:restore work from the command line', async () => {
    const { db, path } = liveDatabase();
    db.$client.close();
    const env = { ...process.env, PORT: '3932', DATABASE_PATH: path, DEMO: 'false', LOG_LEVEL: 'info', BACKUP_KEEP: '3' };
    const backedUp = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backup.ts'], { env, encoding: 'utf8' });
    expect(backedUp.status, backedUp.stderr).to.equal(0);
    expect(backedUp.stdout).to.contain('integrity_check ok');
    const [backup] = listBackups(join(dir, 'backups'));
    expect(backup).to.not.equal(undefined);
    const to = join(dir, 'elsewhere', 'copy.db');
    const copied = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/backup.ts', '--to', to], { env, encoding: 'utf8' });
    expect(copied.status, copied.stderr).to.equal(0);
    expect(count(to, 'funds')).to.equal(5);

    const server = await startServer(env);
    try {
      const whileRunning = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', backup!.file], {
        env,
        encoding: 'utf8',
      });
      expect(whileRunning.status).to.equal(1);
      expect(whileRunning.stderr).to.contain('stop it first');
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exit).to.equal(0);
    expect(existsSync(`${path}.pid`)).to.equal(false);

    const restored = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/restore.ts', backup!.file], {
      env,
      encoding: 'utf8',
    });
    expect(restored.status, restored.stderr).to.equal(0);
    expect(restored.stdout).to.contain('integrity_check ok').and.to.contain('before-restore');
  });
});
