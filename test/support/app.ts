import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from 'supertest';
import supertest from 'supertest';
import { createDb, migrateDb, type Db } from '../../db/client.ts';
import type { Role } from '../../db/schema/index.ts';
import { createApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/lib/logger.ts';
import { loadRegionTree } from '../../server/regions/regions.loader.ts';
import { createUser } from '../../server/users/users.service.ts';

export const PASSWORD = 'correct-horse-battery';

/** A fresh, migrated in-memory database with the official region tree. */
export function buildDb(): Db {
  const db = createDb(':memory:');
  migrateDb(db);
  loadRegionTree(db);
  return db;
}

/**
 * Where backups taken through a test app go unless the test names its own BACKUP_DIR: a folder of
 * this test run, removed when it ends, never the repository's data/backups.
 */
const TEST_BACKUP_DIR = join(tmpdir(), `ewc-test-backups-${process.pid}`);
process.once('exit', () => rmSync(TEST_BACKUP_DIR, { recursive: true, force: true }));

export function buildApp(db: Db = buildDb(), env: NodeJS.ProcessEnv = {}, clock?: () => Date) {
  const config = loadConfig({ NODE_ENV: 'test', BACKUP_DIR: TEST_BACKUP_DIR, ...env });
  const app = createApp({ db, config, logger: createLogger('silent'), ...(clock ? { clock } : {}) });
  return { app, db };
}

let counter = 0;
/** Creates a user through the service; defaults to a staff member of 江苏省. */
export async function buildUser(
  db: Db,
  overrides: { username?: string; role?: Role; regionCode?: string | null; password?: string } = {},
) {
  const role = overrides.role ?? 'staff';
  const username = overrides.username ?? `user${++counter}`;
  const regionCode =
    overrides.regionCode !== undefined ? overrides.regionCode : role === 'admin' || role === 'evaluator' ? null : '320000';
  const password = overrides.password ?? PASSWORD;
  const { id } = await createUser(db, null, {
    username,
    displayName: `测试 ${username}`,
    role,
    regionCode,
    password,
    passwordConfirm: password,
  });
  return { id, username, password, role, regionCode };
}

/** The CSRF token of the form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

export async function csrfFor(agent: Agent, path = '/login'): Promise<string> {
  const res = await agent.get(path);
  return csrfOf(res.text);
}

export function sessionCookie(res: { headers: Record<string, unknown> }): string | undefined {
  const cookies = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('ewc.sid='))?.split(';')[0];
}

/** Logs in through the real form and returns the agent, now carrying the session cookie. */
export async function loginAs(
  app: Parameters<typeof supertest.agent>[0],
  user: { username: string; password: string },
): Promise<Agent> {
  const agent = supertest.agent(app);
  const token = await csrfFor(agent);
  const res = await agent.post('/login').type('form').send({ username: user.username, password: user.password, _csrf: token });
  if (res.status !== 302) throw new Error(`login of ${user.username} failed with ${res.status}`);
  return agent;
}
