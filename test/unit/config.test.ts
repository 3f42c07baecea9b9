import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('when nothing is set, then the documented defaults apply', () => {
    const config = loadConfig({});
    expect(config).to.include({
      port: 3000,
      databasePath: './data/app.db',
      env: 'development',
      demo: true,
      logLevel: 'info',
      trustProxy: 0,
    });
    expect(config.sessionSecret).to.equal(undefined);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('when values are given, then they are parsed and typed', () => {
    const config = loadConfig({
      PORT: '8080',
      DEMO: 'false',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DEMO_PASSWORD: 'longenough',
    });
    expect(config).to.include({ port: 8080, demo: false, env: 'production', logLevel: 'warn', demoPassword: 'longenough' });
  });

  const bad: Array<[string, Record<string, string>]> = [
    ['PORT', { PORT: 'abc' }],
    ['PORT', { PORT: '70000' }],
    ['DEMO', { DEMO: 'maybe' }],
    ['NODE_ENV', { NODE_ENV: 'staging' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['SESSION_SECRET', { SESSION_SECRET: 'short' }],
    ['DEMO_PASSWORD', { DEMO_PASSWORD: '123' }],
  ];
  for (const [name, env] of bad) {
    it(`when ${name} is ${Object.values(env)[0]}, then loading fails with one line naming ${name}`, () => {
      expect(() => loadConfig(env))
        .to.throw(ConfigError)
        .with.property('message')
        .that.matches(new RegExp(`^Invalid configuration: ${name} `))
        .and.not.contain('\n');
    });
  }

  it('when the server is started with a bad PORT, then it stops at once, printing the variable’s name', function () {
    this.timeout(30_000);
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'not-a-port', DATABASE_PATH: ':memory:' },
      encoding: 'utf8',
      timeout: 25_000,
    });
    expect(result.status).to.equal(1);
    expect(result.stderr.trim().split('\n')).to.have.length(1);
    expect(result.stderr).to.contain('PORT');
  });
});
