import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import Handlebars from 'handlebars';

export interface ViewEngineOptions {
  extname: string;
  layoutsDir: string;
  partialsDir: string;
  defaultLayout: string;
  helpers: Record<string, Handlebars.HelperDelegate>;
  /**
   * Fixed labels resolved when a template is compiled: each `{{t "key"}}` (a literal key, no
   * parameters) becomes the label's escaped text in the page's language (`locale` of the render's
   * context), so a page does not call the helper for every heading and button. Templates are then
   * compiled once per language. `label` answers what the `t` helper would print.
   */
  labels?: { helper: string; label: (locale: string, key: string) => string };
}

type Render = (filePath: string, options: object, callback: (err: unknown, html?: string) => void) => void;

/**
 * An Express view engine over a private Handlebars instance: the page's template, then the layout
 * around it (`layout: false` for none), with every file of the partials folder as a partial.
 *
 * When Express asks for the view cache (`options.cache`, production), each template and the
 * partials are read and compiled once and a page is two synchronous template calls. Without it
 * every render reads the files again, so edited templates show at once. It replaces
 * express-handlebars, which resolved paths, walked the partials folder and chained promises on
 * every render even with its cache on (9% of a home page's time under load, issue 9's profile).
 */
export function viewEngine(o: ViewEngineOptions): Render {
  const hb = Handlebars.create();
  hb.registerHelper(o.helpers);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  const keptPartials = new Map<string, Record<string, Handlebars.TemplateDelegate>>();

  // Every helper is declared: a `{{name}}` then reads the context without first asking whether
  // `name` is a helper, and a misspelt helper fails at compile time instead of printing nothing.
  const knownHelpers = Object.fromEntries(Object.keys(o.helpers).map((name) => [name, true]));
  const compile = (file: string, locale: string) =>
    hb.compile(withLabels(readFileSync(file, 'utf8'), locale, o.labels), {
      knownHelpers,
      knownHelpersOnly: true,
      assumeObjects: false,
    });
  const template = (file: string, locale: string, cache: boolean) => {
    if (!cache) return compile(file, locale);
    const key = `${locale}\0${file}`;
    let t = compiled.get(key);
    if (!t) compiled.set(key, (t = compile(file, locale)));
    return t;
  };
  const partials = (locale: string, cache: boolean) => {
    const kept = cache ? keptPartials.get(locale) : undefined;
    if (kept) return kept;
    const found: Record<string, Handlebars.TemplateDelegate> = {};
    for (const name of readdirSync(o.partialsDir)) {
      if (name.endsWith(o.extname)) found[basename(name, o.extname)] = compile(join(o.partialsDir, name), locale);
    }
    if (cache) keptPartials.set(locale, found);
    return found;
  };

  return (filePath, options, callback) => {
    let html: string;
    try {
      const context = options as Record<string, unknown> & { cache?: boolean; layout?: string | false };
      const cache = context.cache === true;
      const locale = typeof context.locale === 'string' ? context.locale : '';
      const runtime = { partials: partials(locale, cache) };
      const body = template(filePath, locale, cache)(context, runtime);
      const layout = context.layout === undefined ? o.defaultLayout : context.layout;
      html = layout ? template(resolve(o.layoutsDir, layout + o.extname), locale, cache)({ ...context, body }, runtime) : body;
    } catch (err) {
      callback(err);
      return;
    }
    callback(null, html);
  };
}

/**
 * A template's source with its fixed labels written in (see ViewEngineOptions.labels): HTML-escaped
 * as `{{ }}` would print them, and with `{{` escaped so a label never reads as a mustache. Without a
 * locale (a render outside the app's pages) the source is left as it is.
 */
export function withLabels(source: string, locale: string, labels: ViewEngineOptions['labels']): string {
  if (!labels || !locale) return source;
  const fixed = new RegExp(`(?<!\\{)\\{\\{${labels.helper} "([^"{}]+)"\\}\\}(?!\\})`, 'g');
  return source.replace(fixed, (_whole, key: string) =>
    Handlebars.escapeExpression(labels.label(locale, key)).replace(/\{\{/g, '\\{{'),
  );
}
