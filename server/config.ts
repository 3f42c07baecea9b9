import { dirname, isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { passwordProblem } from './lib/passwords.ts';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port between 1 and 65535')
    .max(65535, 'expected a port between 1 and 65535')
    .default(3000),
  DATABASE_PATH: z.string().min(1, 'must not be empty').default('./data/app.db'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { error: 'expected development, production or test' })
    .default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected fatal, error, warn, info, debug, trace or silent',
    })
    .optional(),
  DEMO: booleanFlag.default(true),
  // A hop count, not a yes: with `true` Express believes every X-Forwarded-For entry, and a client
  // that rotates the header escapes the per-IP login limit.
  TRUST_PROXY: z
    .string()
    .transform((v) => (v === 'false' || v === 'no' ? '0' : v))
    .pipe(
      z
        .string()
        .regex(/^\d{1,2}$/, 'expected the number of proxy hops in front of the app (e.g. TRUST_PROXY=1), not true')
        .transform(Number),
    )
    .default(0),
  // Unset: the Chromium shipped in npm (@sparticuz/chromium, server/lib/browser.ts) prints the PDFs.
  // Set: that browser instead (e.g. Debian's /usr/bin/chromium); a missing binary is not an error at
  // start (the PDF link answers 503 until one is installed), a relative or odd path is.
  CHROMIUM_PATH: z
    .string()
    .refine(isAbsolute, 'expected an absolute path to the Chromium binary, e.g. /usr/bin/chromium')
    // eslint-disable-next-line no-control-regex
    .refine((v) => !/[\u0000-\u001f]/.test(v), 'must not contain control characters')
    .optional(),
  // Where `npm run db:backup` writes (default: a backups folder beside the database) and how many it keeps.
  BACKUP_DIR: z.string().optional(),
  BACKUP_KEEP: z.coerce
    .number({ error: 'expected a number of backups to keep' })
    .int('expected a whole number')
    .min(1, 'expected at least 1')
    .max(1000, 'expected at most 1000')
    .default(14),
  // Requests a minute that one access token, and all tokens of one user together, may make to the
  // read API (a session is not counted).
  API_RATE_LIMIT: z.coerce
    .number({ error: 'expected a number of requests a minute' })
    .int('expected a whole number')
    .min(1, 'expected at least 1')
    .max(1_000_000, 'expected at most 1000000')
    .default(600),
  // The daily digest's mail (all optional): without SMTP_HOST nothing is mailed and nothing breaks.
  SMTP_HOST: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/, 'expected a host name, e.g. smtp.example.gov.cn')
    .optional(),
  SMTP_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port between 1 and 65535')
    .max(65535, 'expected a port between 1 and 65535')
    .default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_FROM: z.email('expected an email address, e.g. ewc@example.gov.cn').optional(),
  DEMO_PASSWORD: z
    .string()
    .refine((v) => passwordProblem(v, { username: '' }) !== 'password.tooShort', 'must be at least 10 characters')
    .refine((v) => passwordProblem(v, { username: '' }) !== 'password.common', 'must not be a common password')
    .optional(),
});

/** Where the daily digest is mailed from (config SMTP_*); absent: no mail. */
export interface SmtpConfig {
  readonly host: string;
  readonly port: number;
  readonly user: string | undefined;
  readonly pass: string | undefined;
  readonly from: string;
}

export interface Config {
  readonly port: number;
  readonly databasePath: string;
  readonly sessionSecret: string | undefined;
  readonly env: 'development' | 'production' | 'test';
  readonly logLevel: string;
  readonly demo: boolean;
  readonly demoPassword: string | undefined;
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For (0: none, the socket's
   * address is the client's). Needed for Secure cookies and per-IP limits behind a proxy.
   */
  readonly trustProxy: number;
  /** The Chromium binary that prints PDFs (may be missing: printing then answers 503); unset: npm's. */
  readonly chromiumPath: string | undefined;
  /** Where backups go, and how many of the newest are kept. */
  readonly backupDir: string;
  readonly backupKeep: number;
  /** Requests a minute that one access token may make to the read API. */
  readonly apiRateLimit: number;
  /** The digest's mail server; undefined when SMTP_HOST is not set. */
  readonly smtp: SmtpConfig | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the settings from the environment. Empty variables count as unset. A bad value throws a
 * ConfigError whose message is one readable line naming the variable; main.ts prints it and exits.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.keys(envSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    databasePath: e.DATABASE_PATH,
    sessionSecret: e.SESSION_SECRET,
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    demo: e.DEMO,
    demoPassword: e.DEMO_PASSWORD,
    trustProxy: e.TRUST_PROXY,
    chromiumPath: e.CHROMIUM_PATH,
    backupDir: e.BACKUP_DIR ?? join(dirname(e.DATABASE_PATH), 'backups'),
    backupKeep: e.BACKUP_KEEP,
    apiRateLimit: e.API_RATE_LIMIT,
    smtp: e.SMTP_HOST
      ? Object.freeze({
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          user: e.SMTP_USER,
          pass: e.SMTP_PASS,
          from: e.SMTP_FROM ?? `ewc-platform@${e.SMTP_HOST}`,
        })
      : undefined,
  });
}
