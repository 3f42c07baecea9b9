import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';
import type * as zxcvbnCommon from '@zxcvbn-ts/language-common';

type ZxcvbnCommon = typeof zxcvbnCommon;

// @node-rs/argon2 hashes with argon2id by default; these are OWASP's minimum parameters.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  return verify(passwordHash, password).catch(() => false);
}

/** A hash to verify against when the user does not exist, so both paths take the same time. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0000');
  return dummyHash;
}

export const PASSWORD_MIN_LENGTH = 10;

/**
 * Common passwords: the list of zxcvbn-ts (about 49,000 leaked passwords, most common first,
 * lower case), loaded on first use. Pinned with the package version in package.json.
 */
/** The list is mostly of Western leaks: a few of the commonest long ones in Chinese leaks besides. */
const CHINESE_COMMON = [
  'woaini1314',
  'woaini520',
  'woaini5201314',
  '5201314520',
  '1314520520',
  '5201314',
  'iloveyou1314',
  'a123456789',
  'qq123456789',
  'qwe123456789',
  'aa123456789',
  'zhang123456',
  'wang123456',
  'li123456789',
  'abc123456789',
  '1qaz2wsx3edc4rfv',
  'zxcvbnm123',
  'asdfghjkl123',
  'wodemima123',
  'mima123456',
  'admin123456',
  'administrator',
];

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  if (!common) {
    // loaded synchronously (its CommonJS build) so that the policy can also check settings at start
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as ZxcvbnCommon;
    common = new Set([...dictionary['passwords-common'], ...CHINESE_COMMON]);
  }
  return common;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}

/** What a password must not be: too short, about its own account, or one that guessers try first. */
export interface PasswordContext {
  username: string;
  /** The account's region, if any: its name (江苏省) and code (320000). */
  region?: { name: string; code: string } | null | undefined;
}

/**
 * The password policy, for every way a password is set (create, admin reset, own change, the
 * command line, demo accounts). Returns the i18n key of the first problem, or undefined.
 */
export function passwordProblem(password: string, context: PasswordContext): string | undefined {
  const lower = password.toLowerCase();
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'password.tooShort';
  if (context.username && lower.includes(context.username.toLowerCase())) return 'password.hasUsername';
  const region = context.region;
  if (region && (lower.includes(region.code) || password.includes(region.name))) return 'password.hasRegion';
  if (isCommonPassword(password)) return 'password.common';
  return undefined;
}
