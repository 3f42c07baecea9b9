import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { createDb, migrateDb } from '../../db/client.ts';
import { verifyLogin } from '../../server/auth/auth.service.ts';
import { startServer } from '../support/server.ts';

describe('database and process lifecycle', function () {
  this.timeout(40_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ewc-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a file database is migrated, then WAL and foreign keys are on and the foreign key check is empty', () => {
    const db = createDb(join(dir, 'app.db'));
    migrateDb(db);
    expect(db.$client.pragma('journal_mode', { simple: true })).to.equal('wal');
    expect(db.$client.pragma('foreign_keys', { simple: true })).to.equal(1);
    expect(db.$client.pragma('busy_timeout', { simple: true })).to.equal(5000);
    expect(db.$client.pragma('foreign_key_check')).to.deep.equal([]);
    migrateDb(db); // a second run applies nothing and does not fail
    db.$client.close();
  });

  it('when user:create is run with a password, then the account can log in', async () => {
    const path = join(dir, 'cli.db');
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/create-user.ts',
        '--username',
        'first.admin',
        '--role',
        'admin',
        '--password',
        'a-strong-password',
      ],
      { env: { ...process.env, DATABASE_PATH: path }, encoding: 'utf8' },
    );
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.contain('created user first.admin');
    const db = createDb(path);
    expect(await verifyLogin(db, 'first.admin', 'a-strong-password')).to.include({ role: 'admin', scope: null });
    db.$client.close();
    const again = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/create-user.ts', '--username', 'first.admin', '--role', 'staff', '--password', 'short'],
      { env: { ...process.env, DATABASE_PATH: path }, encoding: 'utf8' },
    );
    expect(again.status).to.equal(1);
    expect(again.stderr).to.contain('password: At least 10 characters.');
  });

  it('when the server gets SIGTERM, then it stops accepting, closes the database and exits 0', async () => {
    const { child, exit, output } = await startServer({
      ...process.env,
      PORT: '3931',
      DATABASE_PATH: join(dir, 'app.db'),
      DEMO: 'false',
      LOG_LEVEL: 'info',
    });
    const health = await fetch('http://127.0.0.1:3931/healthz');
    expect(health.status).to.equal(200);
    child.kill('SIGTERM');
    expect(await exit).to.equal(0);
    expect(output.text).to.contain('shutting down');
  });
});
