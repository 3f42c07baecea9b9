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

/** The list is mostly of Western leaks: a few of the commonest in Chinese leaks besides. */
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
  'wodemima',
  'mima',
  'admin123456',
  'administrator',
];

let common: Set<string> | undefined;
/**
 * Common passwords: the list of zxcvbn-ts (about 49,000 leaked passwords, lower case, most of them
 * shorter than 10 characters), loaded on first use; pinned with the package version in package.json.
 */
function commonPasswords(): Set<string> {
  if (!common) {
    // loaded synchronously (its CommonJS build) so that the policy can also check settings at start
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as ZxcvbnCommon;
    common = new Set([...dictionary['passwords-common'], ...CHINESE_COMMON]);
  }
  return common;
}

const LEET: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };
const unleet = (s: string, one: 'i' | 'l') => s.replace(/[013457@$]/g, (c) => (c === '1' ? one : (LEET[c] ?? c)));
/** Digits and symbols at either end ("!2024", "123"): what people add to a word to pass a rule. */
const stripEnds = (s: string) => s.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
const MIN_CORE = 4;

/**
 * The forms a guesser tries a common word in: as typed, lower case; without a trailing year or
 * digit run; without digits and symbols at the ends; with leetspeak undone (P@ssw0rd → password).
 */
function guessableForms(password: string): Set<string> {
  const lower = password.toLowerCase();
  const forms = new Set([lower]);
  for (const base of [lower, lower.replace(/\d+$/, ''), stripEnds(lower)]) {
    for (const form of [base, unleet(base, 'i'), unleet(base, 'l'), stripEnds(unleet(stripEnds(base), 'i'))]) {
      if ([...form].length >= MIN_CORE) forms.add(form);
    }
  }
  return forms;
}

/** Keyboard rows and runs in either direction: qwertyuiop, 1234567890, abcdef, 0987…, 1qaz2wsx. */
const WALKS = [
  '1234567890',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'abcdefghijklmnopqrstuvwxyz',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
];
const SEQUENCES = [...WALKS, ...WALKS.map((w) => [...w].reverse().join(''))];

/** The longest start of `s` that is one key held down, or a run along a keyboard row or the alphabet. */
function walkAt(s: string): number {
  let best = s.length > 0 ? 1 : 0;
  while (best < s.length && s[best] === s[0]) best++;
  for (const seq of SEQUENCES) {
    let n = 0;
    while (n < s.length && seq.includes(s.slice(0, n + 1))) n++;
    best = Math.max(best, n);
  }
  return best;
}

/** Typed without thinking: at most three runs of three or more (qwertyuiop, 1234qwer, aaaaaaaaaa, abcabcabc). */
function isKeyboardPattern(password: string): boolean {
  const s = password.toLowerCase();
  if (/^(.{1,4})\1+.{0,3}$/u.test(s)) return true;
  let rest = s;
  for (let runs = 0; runs < 3 && rest; runs++) {
    const n = walkAt(rest);
    if (n < 3) return false;
    rest = rest.slice(n);
  }
  return rest.length === 0;
}

function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  for (const form of guessableForms(password)) if (list.has(form) || isKeyboardPattern(form)) return true;
  return false;
}

/** What a password must not be: too short, about its own account, or one that guessers try first. */
interface PasswordContext {
  username: string;
  /** The account's region, if any: its name (江苏省) and code (320000); its short name (江苏) counts too. */
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
  if (region && (lower.includes(region.code) || regionNames(region.name).some((n) => password.includes(n))))
    return 'password.hasRegion';
  if (isCommonPassword(password)) return 'password.common';
  return undefined;
}

/** A region's name and its short form without the administrative suffix (陕西省 → 陕西, 广西壮族自治区 → 广西). */
function regionNames(name: string): string[] {
  const short = name.replace(/(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|省|市|县|区|盟|旗)$/, '');
  return short.length >= 2 && short !== name ? [name, short] : [name];
}
