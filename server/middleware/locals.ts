import type { RequestHandler } from 'express';
import * as cookie from 'cookie';
import { DEFAULT_LOCALE, isLocale, translator, type Locale } from '../lib/i18n.ts';
import { isMoneyUnit, type MoneyUnit } from '../lib/money.ts';
import { redactUrl } from '../lib/redact.ts';
import { takeFlash } from './flash.ts';
import { MAX_FILE_BYTES } from '../lib/uploads.ts';

export const LANG_COOKIE = 'lang';
export const UNIT_COOKIE = 'unit';

declare module 'express-serve-static-core' {
  interface Request {
    locale: Locale;
    /** The money unit this user reads and types amounts in (万元 unless they chose 元). */
    moneyUnit: MoneyUnit;
  }
}

/**
 * Sets what every view needs: the language and its translator, the current user, flash messages,
 * the CSRF token, the current path (for navigation) and the user's unread notifications (the header's count).
 */
export function locals(
  generateCsrfToken: (req: Parameters<RequestHandler>[0]) => string,
  unreadCount: (userId: number) => number = () => 0,
): RequestHandler {
  return (req, res, next) => {
    const cookies = cookie.parse(req.headers.cookie ?? '');
    const chosen = cookies[LANG_COOKIE];
    req.locale = isLocale(chosen) ? chosen : DEFAULT_LOCALE;
    req.moneyUnit = isMoneyUnit(cookies[UNIT_COOKIE]) ? cookies[UNIT_COOKIE] : 'wan';
    res.locals.moneyUnit = req.moneyUnit;
    const t = translator(req.locale);
    res.locals.locale = req.locale;
    // an upload's limit, for the page to refuse a file above it before sending (assets/file-size.js)
    res.locals.maxFileBytes = MAX_FILE_BYTES;
    res.locals.t = t;
    res.locals.currentUser = req.user ?? null;
    res.locals.path = req.path;
    // the page's own address, for its language and unit links (`back=`): never with a CSRF token in it
    res.locals.url = redactUrl(req.originalUrl);
    // Lazy: only pages that render a form create a session for their token (not /healthz).
    Object.defineProperty(res.locals, 'csrfToken', { enumerable: true, get: () => generateCsrfToken(req) });
    // Lazy too: read when a page renders its header (one index search), never for a redirect or a file.
    const user = req.user;
    Object.defineProperty(res.locals, 'unreadCount', { enumerable: true, get: () => (user ? unreadCount(user.id) : 0) });
    res.locals.flash = takeFlash(req).map((m) => ({ type: m.type, text: t(m.key, m.params) }));
    next();
  };
}
