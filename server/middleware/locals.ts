import type { RequestHandler } from 'express';
import * as cookie from 'cookie';
import { DEFAULT_LOCALE, isLocale, translator, type Locale } from '../lib/i18n.ts';
import { takeFlash } from './flash.ts';

export const LANG_COOKIE = 'lang';

declare module 'express-serve-static-core' {
  interface Request {
    locale: Locale;
  }
}

/**
 * Sets what every view needs: the language and its translator, the current user, flash messages,
 * the CSRF token and the current path (for navigation).
 */
export function locals(generateCsrfToken: (req: Parameters<RequestHandler>[0]) => string): RequestHandler {
  return (req, res, next) => {
    const chosen = cookie.parse(req.headers.cookie ?? '')[LANG_COOKIE];
    req.locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
    const t = translator(req.locale);
    res.locals.locale = req.locale;
    res.locals.t = t;
    res.locals.currentUser = req.user ?? null;
    res.locals.path = req.path;
    // Lazy: only pages that render a form create a session for their token (not /healthz).
    Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, get: () => generateCsrfToken(req) });
    res.locals.flash = takeFlash(req).map((m) => ({ type: m.type, text: t(m.key, m.params) }));
    next();
  };
}
