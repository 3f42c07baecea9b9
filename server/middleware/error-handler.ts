import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../lib/logger.ts';
import { AppError, NotFoundError } from '../lib/errors.ts';
import { translator, DEFAULT_LOCALE, type Translate } from '../lib/i18n.ts';

export const notFound: RequestHandler = (_req, _res, next) => next(new NotFoundError());

const TITLE_KEYS: Record<number, string> = {
  400: 'errors.badRequest.title',
  403: 'errors.forbidden.title',
  404: 'errors.notFound.title',
  409: 'errors.conflict.title',
  422: 'errors.badRequest.title',
};

interface HttpishError {
  status?: number;
  statusCode?: number;
  code?: string;
}

/** Works out status and message: typed errors carry theirs; CSRF and body-parser errors are the client's. */
function describe(err: unknown, t: Translate): { status: number; title: string; message: string } {
  if (err instanceof AppError) {
    return {
      status: err.status,
      title: t(TITLE_KEYS[err.status] ?? 'errors.server.title'),
      message: t(err.messageKey, err.params),
    };
  }
  const e = (err ?? {}) as HttpishError;
  if (e.code === 'EBADCSRFTOKEN') return { status: 403, title: t('errors.csrf.title'), message: t('errors.csrf.body') };
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, title: t(TITLE_KEYS[status] ?? 'errors.badRequest.title'), message: t('errors.badRequest.body') };
  }
  return { status: 500, title: t('errors.server.title'), message: t('errors.server.body') };
}

/** The one error handler: typed errors become their page (HTML or JSON), anything else is a logged 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const t = (res.locals.t as Translate | undefined) ?? translator(DEFAULT_LOCALE);
    const { status, title, message } = describe(err, t);
    if (status >= 500) logger.error({ err, url: req.originalUrl }, 'request failed');
    res.status(status);
    res.format({
      html: () => res.render('errors/error', { title, message, status }),
      json: () => res.json({ error: { status, message } }),
      default: () => res.type('text').send(message),
    });
  };
}
