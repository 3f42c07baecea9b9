import { pino, type Logger } from 'pino';

export type { Logger };

/** Logs go to stdout as JSON; secrets never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: {
      paths: ['req.headers.cookie', 'res.headers["set-cookie"]', 'password', '*.password', 'req.body'],
      censor: '[redacted]',
    },
  });
}
