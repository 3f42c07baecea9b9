/**
 * The key-leak scan of rendered pages (test/http/key-leaks.test.ts): what a reader sees or hears
 * of a page, and the strings in it shaped like internal keys.
 */

/** Things on pages that look like keys but are data: file names, e-mail addresses. */
const DATA = [/\.(csv|xlsx|pdf|json|txt)$/i, /^[\w.-]+@[\w.-]+$/];

export const decode = (s: string) =>
  s
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&#x60;/g, '`')
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');

/**
 * What a reader sees or hears of a page: its text, and the attributes read aloud. A textarea's
 * text is left out: it is the user's own document to edit (the framework's JSON for power users).
 */
export function visibleText(html: string): string {
  const body = html.replace(/<(script|style|template|textarea)\b[\s\S]*?<\/\1>/gi, ' ').replace(/<!--[\s\S]*?-->/g, ' ');
  const spoken = [...body.matchAll(/\s(?:title|aria-label|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]!);
  return decode(`${body.replace(/<[^>]*>/g, ' ')} ${spoken.join(' ')}`);
}

const KEY_SHAPES = [
  /(?<![\w.@/:-])[a-z][a-zA-Z]+(?:\.[a-zA-Z][\w-]+)+(?![\w@/-])/g, // org.leadership, validation.invalid
  /(?<![\w.@/:-])[a-z]+[A-Z][a-zA-Z]*\b/g, // fiscalFunds
  /(?<![\w.@/:-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g, // ratio_to_target
];

/**
 * The key-shaped strings of a page's visible text (`usernames` are the accounts' own names, data).
 * `words` are internal keys that are plain words (`innovation`, `fiscal`, `cadre`): on a Chinese
 * page such a lowercase English word is a key that missed its label.
 */
export function keyShaped(html: string, usernames: ReadonlySet<string>, words: ReadonlySet<string> = new Set()): string[] {
  const text = visibleText(html);
  const found = new Set<string>();
  if (words.size > 0)
    for (const m of text.matchAll(/(?<![\w.@/:-])[a-z]{3,}(?![\w@/:-]|\.\w)/g))
      if (words.has(m[0]) && !usernames.has(m[0])) found.add(m[0]);
  for (const shape of KEY_SHAPES)
    for (const m of text.matchAll(shape)) {
      const token = m[0].replace(/\.$/, '');
      if (usernames.has(token) || DATA.some((d) => d.test(token))) continue;
      found.add(token);
    }
  return [...found];
}
