import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import * as cookie from 'cookie';
import type { Logger } from '../lib/logger.ts';
import { AppError, NotFoundError, ServiceUnavailableError, TooManyRequestsError } from '../lib/errors.ts';
import { translator, DEFAULT_LOCALE, isLocale, type Translate } from '../lib/i18n.ts';
import { redactUrl } from '../lib/redact.ts';
import { unavailableCodeOf } from '../lib/sqlite-errors.ts';

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

const TITLE_KEYS: Record<number, string> = {
  400: 'errors.badRequest.title',
  403: 'errors.forbidden.title',
  404: 'errors.notFound.title',
  409: 'errors.conflict.title',
  413: 'errors.tooLarge.title',
  415: 'errors.unsupported.title',
  422: 'errors.badRequest.title',
  503: 'errors.unavailable.title',
};

/** body-parser's error types (err.type) and what they tell the user. */
const BODY_ERRORS: Record<string, string> = {
  'entity.too.large': 'errors.tooLarge.body',
  'parameters.too.many': 'errors.tooManyFields.body',
  'charset.unsupported': 'errors.charset.body',
  'encoding.unsupported': 'errors.encoding.body',
  'media.unsupported': 'errors.mediaType.body',
};

const DB_RETRY_AFTER_S = 30;

interface HttpishError {
  status?: number;
  statusCode?: number;
  code?: string;
  type?: string;
}

export interface Described {
  status: number;
  title: string;
  message: string;
  retryAfter?: number;
}

/** Which message a refusing database gets: a full disk is the administrator's to fix, so it says so. */
function databaseMessageKey(code: string): string {
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'errors.dbBusy.body';
  if (code.startsWith('SQLITE_FULL')) return 'errors.dbFull.body';
  return 'errors.dbUnavailable.body';
}

/**
 * A database that cannot take a write now (lib/sqlite-errors.ts): 503 with Retry-After and what it means
 * for the user (nothing saved, nothing lost); its SQLite code for the log. Undefined for any other
 * error. Forms use it too (middleware/forms.ts), to give the form back with what was typed.
 */
export function databaseRefusal(err: unknown, t: Translate): (Described & { code: string }) | undefined {
  const code = unavailableCodeOf(err);
  if (!code) return undefined;
  return {
    status: 503,
    title: t('errors.unavailable.title'),
    message: t(databaseMessageKey(code)),
    retryAfter: DB_RETRY_AFTER_S,
    code,
  };
}

/**
 * Works out status and message: typed errors carry theirs; CSRF and body-parser errors are the
 * client's. The read API's JSON errors (server/api/api.errors.ts) are described here too.
 */
export function describeError(err: unknown, t: Translate): Described {
  if (err instanceof AppError) {
    // A 409 is a stale edit ("数据冲突") only when it says so; otherwise a rule refused the step.
    const refused = err.status === 409 && err.messageKey !== 'conflict.stale';
    return {
      status: err.status,
      title: t(refused ? 'errors.refused.title' : (TITLE_KEYS[err.status] ?? 'errors.server.title')),
      message: t(err.messageKey, err.params),
      ...(err instanceof ServiceUnavailableError || err instanceof TooManyRequestsError ? { retryAfter: err.retryAfter } : {}),
    };
  }
  const e = (err ?? {}) as HttpishError;
  if (e.code === 'EBADCSRFTOKEN') return { status: 403, title: t('errors.csrf.title'), message: t('errors.csrf.body') };
  const refused = databaseRefusal(err, t);
  if (refused) return refused;
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const bodyKey = e.type ? BODY_ERRORS[e.type] : undefined;
    return { status, title: t(TITLE_KEYS[status] ?? 'errors.badRequest.title'), message: t(bodyKey ?? 'errors.badRequest.body') };
  }
  return { status: 500, title: t('errors.server.title'), message: t('errors.server.body') };
}

/**
 * Errors raised before the locals middleware ran (body parsers, the session store) reach us without
 * a translator: set up what the layout reads, so the page is still in the app's look and language.
 */
function ensureLocals(req: Request, res: Response): Translate {
  if (typeof res.locals.t === 'function') return res.locals.t as Translate;
  const chosen = cookie.parse(req.headers.cookie ?? '').lang;
  const locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  const t = translator(locale);
  Object.assign(res.locals, {
    t,
    locale,
    moneyUnit: 'wan',
    currentUser: req.user ?? null,
    path: req.path,
    url: redactUrl(req.originalUrl),
    flash: [],
  });
  if (!('csrfToken' in res.locals)) res.locals.csrfToken = '';
  return t;
}

/** The last resort: one line of text, never Express's default page (which shows the stack outside production). */
function sendPlain(res: Response, status: number, text: string) {
  if (res.headersSent) return res.destroy();
  res.status(status).type('text').send(text);
}

/** The one error handler: typed errors become their page (HTML or JSON), anything else is a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Raised once the whole answer had gone out (express-session writes the session as the
      // response ends, and passes on a failed write, e.g. on a full disk): logged, and the page
      // stands. Express's own handler would drop the connection and the next request sent on it.
      if (res.writableEnded) return logger.error({ err, url: redactUrl(req.originalUrl) }, 'failed after the answer was sent');
      return next(err);
    }
    let d: Described = { status: 500, title: 'Error', message: 'Internal error' };
    try {
      const t = ensureLocals(req, res);
      d = describeError(err, t);
      if (d.status >= 500) logger.error({ err, url: redactUrl(req.originalUrl) }, 'request failed');
      res.status(d.status);
      if (d.retryAfter !== undefined) res.set('Retry-After', String(d.retryAfter));
      const { status, title, message } = d;
      res.format({
        html: () =>
          res.render('errors/error', { title, message, status }, (renderErr: Error | null, html?: string) => {
            if (renderErr) {
              logger.error({ err: renderErr, url: redactUrl(req.originalUrl) }, 'error page failed to render');
              return sendPlain(res, status, `${title}: ${message}`);
            }
            res.send(html);
          }),
        json: () => res.json({ error: { status, message } }),
        default: () => res.type('text').send(message),
      });
    } catch (failure) {
      logger.error({ err: failure, cause: err, url: redactUrl(req.originalUrl) }, 'error handler failed');
      sendPlain(res, d.status, `${d.title}: ${d.message}`);
    }
  };
}
