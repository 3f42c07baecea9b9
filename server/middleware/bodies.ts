import type { RequestHandler } from 'express';

/**
 * The app reads HTML forms only. A body that no parser took — JSON, plain text, XML, a multipart
 * body anywhere but the upload route (whose chain, mounted before this, reads its own) — is
 * answered 415 rather than silently read as an empty form. Requests without a body pass.
 */
export const formBodiesOnly: RequestHandler = (req, _res, next) => {
  if (req.readableEnded || req.is('application/x-www-form-urlencoded') === null) return next();
  next(Object.assign(new Error('unsupported media type'), { status: 415, type: 'media.unsupported' }));
};
