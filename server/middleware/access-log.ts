import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../lib/logger.ts';
import { redactUrl } from '../lib/redact.ts';

/**
 * One log line per request when its answer has gone out (or the client went away first): method,
 * address (CSRF tokens redacted), status, milliseconds, the access token's id for a read API call,
 * and an id, also sent as `X-Request-Id` so a user's report can be found in the log. Errors (5xx)
 * log at error, refusals (4xx) at warn.
 *
 * Replaces pino-http, which built a child logger and serialisers per request (3–4% of a page's
 * time under load, issue 9's profile); this is one call on a shared logger.
 */
export function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    const line = () => ({
      id,
      method: req.method,
      url: redactUrl(req.originalUrl),
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
      // a read API request made with an access token names it (its id, never the token)
      ...(req.accessTokenId === undefined ? {} : { token: req.accessTokenId }),
      // a form given back because the database refused its write (middleware/forms.ts): which refusal
      ...(typeof res.locals.dbError === 'string' ? { dbError: res.locals.dbError } : {}),
    });
    const finished = () => {
      res.off('close', aborted);
      const status = res.statusCode;
      const entry = line();
      if (status >= 500) logger.error(entry, 'request failed');
      else if (status >= 400) logger.warn(entry, 'request refused');
      else logger.info(entry, 'request completed');
    };
    const aborted = () => {
      res.off('finish', finished);
      logger.warn(line(), 'request aborted');
    };
    res.once('finish', finished);
    res.once('close', aborted);
    next();
  };
}
