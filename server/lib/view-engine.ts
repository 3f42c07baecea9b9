import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import Handlebars from 'handlebars';

export interface ViewEngineOptions {
  extname: string;
  layoutsDir: string;
  partialsDir: string;
  defaultLayout: string;
  helpers: Record<string, Handlebars.HelperDelegate>;
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
  let keptPartials: Record<string, Handlebars.TemplateDelegate> | undefined;

  // Every helper is declared: a `{{name}}` then reads the context without first asking whether
  // `name` is a helper, and a misspelt helper fails at compile time instead of printing nothing.
  const knownHelpers = Object.fromEntries(Object.keys(o.helpers).map((name) => [name, true]));
  const compile = (file: string) =>
    hb.compile(readFileSync(file, 'utf8'), { knownHelpers, knownHelpersOnly: true, assumeObjects: false });
  const template = (file: string, cache: boolean) => {
    if (!cache) return compile(file);
    let t = compiled.get(file);
    if (!t) compiled.set(file, (t = compile(file)));
    return t;
  };
  const partials = (cache: boolean) => {
    if (cache && keptPartials) return keptPartials;
    const found: Record<string, Handlebars.TemplateDelegate> = {};
    for (const name of readdirSync(o.partialsDir)) {
      if (name.endsWith(o.extname)) found[basename(name, o.extname)] = compile(join(o.partialsDir, name));
    }
    if (cache) keptPartials = found;
    return found;
  };

  return (filePath, options, callback) => {
    let html: string;
    try {
      const context = options as Record<string, unknown> & { cache?: boolean; layout?: string | false };
      const cache = context.cache === true;
      const runtime = { partials: partials(cache) };
      const body = template(filePath, cache)(context, runtime);
      const layout = context.layout === undefined ? o.defaultLayout : context.layout;
      html = layout ? template(resolve(o.layoutsDir, layout + o.extname), cache)({ ...context, body }, runtime) : body;
    } catch (err) {
      callback(err);
      return;
    }
    callback(null, html);
  };
}
