import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { DEFAULT_LOCALE, translator, type Translate } from '../lib/i18n.ts';
import type { Logger } from '../lib/logger.ts';
import { redactUrl } from '../lib/redact.ts';
import { translateErrors } from '../lib/validation.ts';
import { describeError } from '../middleware/error-handler.ts';
import type { ErrorCode } from './api.schemas.ts';

/** The stable code of each status: programs branch on the code, people read the message. */
const CODE_OF: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'bad_request',
  415: 'bad_request',
  422: 'invalid_query',
  429: 'rate_limited',
  503: 'unavailable',
};
export const errorCodeOf = (status: number): ErrorCode => CODE_OF[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');

/** The pages' messages speak of pages; the API's of what was asked. */
const API_MESSAGE: Record<string, string> = {
  'errors.notFound.body': 'api.error.notFound',
  'errors.forbidden.body': 'api.error.forbidden',
  'validation.failed': 'api.error.invalidQuery',
};

/** Any path under the API base that no route answers: a JSON 404. */
export const apiNotFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/**
 * The API's error handler, mounted on its base before the app's: every refusal and failure under
 * /api/v1 — from a route, the token check, the rate limit, the CSRF check, a body parser or the
 * database — is `{ "error": { "code", "message" } }`, never an HTML page. Status, message and
 * Retry-After are worked out as the app's handler does.
 */
export function apiErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const t = typeof res.locals.t === 'function' ? (res.locals.t as Translate) : translator(DEFAULT_LOCALE);
    const d = describeError(err, t);
    if (d.status >= 500) logger.error({ err, url: redactUrl(req.originalUrl) }, 'request failed');
    const message =
      err instanceof AppError && API_MESSAGE[err.messageKey] ? t(API_MESSAGE[err.messageKey]!, err.params) : d.message;
    const fields = err instanceof ValidationError ? { fields: translateErrors(err.fields, t) } : {};
    if (d.retryAfter !== undefined) res.set('Retry-After', String(d.retryAfter));
    res.status(d.status).json({ error: { code: errorCodeOf(d.status), message, ...fields } });
  };
}
