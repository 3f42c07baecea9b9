import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Role } from '../../db/schema/index.ts';
import { createUser } from '../users/users.service.ts';

export interface DemoAccount {
  username: string;
  displayName: string;
  role: Role;
  regionCode: string | null;
}

/** The demo accounts the README and the issues name; regions are GB/T 2260 province codes. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'admin', displayName: '平台管理员', role: 'admin', regionCode: null },
  { username: 'office.jiangsu', displayName: '江苏省协作办', role: 'staff', regionCode: '320000' },
  { username: 'office.shaanxi', displayName: '陕西省协作办', role: 'staff', regionCode: '610000' },
  { username: 'liaison.shaanxi', displayName: '陕西省联络员', role: 'liaison', regionCode: '610000' },
  { username: 'liaison.guizhou', displayName: '贵州省联络员', role: 'liaison', regionCode: '520000' },
  { username: 'evaluator', displayName: '考核评估组', role: 'evaluator', regionCode: null },
];

export function hasUsers(db: Db): boolean {
  return (db.get<{ n: number }>(sql`SELECT count(*) AS n FROM users`)?.n ?? 0) > 0;
}

/**
 * Seeds the demo accounts on a database that has no users yet. Returns the password used
 * (the given one, or a random one), or null when the database already had users.
 */
export async function seedDemo(
  db: Db,
  password?: string,
): Promise<{ password: string; accounts: readonly DemoAccount[] } | null> {
  if (hasUsers(db)) return null;
  const pw = password ?? randomBytes(9).toString('base64url');
  for (const a of DEMO_ACCOUNTS) {
    await createUser(db, null, { ...a, password: pw, passwordConfirm: pw });
  }
  return { password: pw, accounts: DEMO_ACCOUNTS };
}

export { seedDataset, hasPairings, DEMO_OPTIONS } from './demo.data.ts';
export { seedAssessment } from './demo.assessment.ts';
export { seedReports } from './demo.reports.ts';
