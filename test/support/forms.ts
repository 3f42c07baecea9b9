/**
 * Reads the forms of a page as a browser would submit them: every named input with its value
 * (unchecked boxes left out), each select's chosen option (else its first), each textarea's text.
 * Tests use it to send exactly what a page offers, so a form the page does not show cannot be sent.
 */
export interface PageForm {
  action: string;
  method: string;
  fields: Record<string, string>;
  /** Every option value of each select, for a test that tries each choice a page offers. */
  options: Record<string, string[]>;
}

const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]!) : undefined;
};
const has = (tag: string, name: string) => new RegExp(`\\s${name}(?:[\\s>=/]|$)`).test(tag);

function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export function formsOf(html: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const head = m[1]!;
    const body = m[2]!;
    const fields: Record<string, string> = {};
    const choices: Record<string, string[]> = {};
    for (const input of body.matchAll(/<input\b[^>]*>/g)) {
      const tag = input[0];
      const name = attr(tag, 'name');
      if (!name) continue;
      const type = attr(tag, 'type') ?? 'text';
      if ((type === 'checkbox' || type === 'radio') && !has(tag, 'checked')) continue;
      if (type === 'file') continue;
      fields[name] = attr(tag, 'value') ?? (type === 'checkbox' ? 'on' : '');
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(select[1]!, 'name');
      if (!name) continue;
      const options = [...select[2]!.matchAll(/<option\b([^>]*)>/g)].map((o) => o[1]!);
      choices[name] = options.map((o) => attr(o, 'value') ?? '');
      const chosen = options.find((o) => has(o, 'selected')) ?? options[0];
      fields[name] = chosen ? (attr(chosen, 'value') ?? '') : '';
    }
    for (const area of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attr(area[1]!, 'name');
      if (name) fields[name] = decode(area[2]!);
    }
    forms.push({
      action: attr(head, 'action') ?? '',
      method: (attr(head, 'method') ?? 'get').toLowerCase(),
      fields,
      options: choices,
    });
  }
  return forms;
}

/** The form of a page that posts to `action` (its path, query string ignored), or undefined. */
export function formFor(html: string, action: string): PageForm | undefined {
  return formsOf(html).find((f) => f.method === 'post' && f.action.split('?')[0] === action);
}
