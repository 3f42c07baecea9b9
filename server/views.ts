import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engine } from 'express-handlebars';
import type { HelperOptions } from 'handlebars';
import type { Translate } from './lib/i18n.ts';

export const viewsDir = resolve(dirname(fileURLToPath(import.meta.url)), '../views');

/** Handlebars helpers. None returns HTML: everything stays escaped by `{{ }}`. */
const helpers = {
  t(this: unknown, key: string, options: HelperOptions) {
    const t = (options.data as { root: { t: Translate } }).root.t;
    return t(key, options.hash as Record<string, unknown>);
  },
  eq: (a: unknown, b: unknown) => a === b,
  or: (...args: unknown[]) => args.slice(0, -1).some(Boolean),
  and: (...args: unknown[]) => args.slice(0, -1).every(Boolean),
  /** An object from the hash, to pass several values to a partial: (obj q=query role=role). */
  obj: (options: HelperOptions) => ({ ...(options.hash as Record<string, unknown>) }),
  /** A list page's link to another page, keeping its filters: {{pageHref params 3}}. */
  pageHref(params: unknown, page: number) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries((params ?? {}) as Record<string, unknown>)) {
      if (v !== undefined && v !== null && v !== '') query.set(k, String(v));
    }
    query.set('page', String(page));
    return `?${query.toString()}`;
  },
  add: (a: number, b: number) => Number(a) + Number(b),
  gt: (a: number, b: number) => Number(a) > Number(b),
  lt: (a: number, b: number) => Number(a) < Number(b),
  includes: (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item),
  concat: (...args: unknown[]) => args.slice(0, -1).join(''),
  /** Builds a query string from the hash, dropping empty values: {{qs q=query page=2}}. */
  qs(options: HelperOptions) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(options.hash as Record<string, unknown>)) {
      if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
    }
    const s = params.toString();
    return s ? `?${s}` : '';
  },
};

export function viewEngine() {
  return engine({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: resolve(viewsDir, 'layouts'),
    partialsDir: resolve(viewsDir, 'partials'),
    helpers,
  });
}
