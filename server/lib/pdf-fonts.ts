import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Chinese in PDFs without system fonts: the @font-face rules of @fontsource/noto-sans-sc, with
 * each font file inlined as a data URI, for only the unicode-range subsets the page's characters
 * fall in (a scorecard needs a few dozen of the ~100 subsets). The print CSS (views/assets/app.css)
 * names 'Noto Sans SC' first, so the PDF looks the same with any browser and on any machine.
 */
const require = createRequire(import.meta.url);
const fontDir = dirname(require.resolve('@fontsource/noto-sans-sc/400.css'));

interface Face {
  file: string;
  ranges: [number, number][];
  rule: string; // the @font-face rule with a placeholder for the data URI
}

/**
 * Each code point the fonts cover, to the face that serves it (built once). Where ranges overlap
 * the face declared last wins, as in the browser: basic Latin comes from the Latin subset.
 */
let byCodePoint: { faces: Face[]; index: Map<number, number> } | undefined;
const dataUris = new Map<string, string>();

/** The rules of one weight (400; bold is synthesised: half the bytes, and headings stay legible). */
function loadFaces(): Face[] {
  const css = readFileSync(join(fontDir, '400.css'), 'utf8');
  const out: Face[] = [];
  for (const [, body] of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(body!)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(body!)?.[1];
    if (!file || !range) continue;
    const ranges = range.split(',').map((r): [number, number] => {
      const [lo, hi] = r.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(lo!, 16), parseInt(hi ?? lo!, 16)];
    });
    out.push({
      file,
      ranges,
      rule: `@font-face{font-family:'Noto Sans SC';font-style:normal;font-weight:400;font-display:block;src:url(%URI%) format('woff2');unicode-range:${range.trim()}}`,
    });
  }
  if (out.length === 0) throw new Error(`no @font-face rules found in ${fontDir}/400.css`);
  return out;
}

function indexFaces(faces: Face[]) {
  const index = new Map<number, number>();
  faces.forEach((face, i) => {
    for (const [lo, hi] of face.ranges) for (let c = lo; c <= hi; c++) index.set(c, i);
  });
  return { faces, index };
}

/** The @font-face rules (fonts inlined) that cover the characters of `text`. */
export function fontFacesFor(text: string): string {
  byCodePoint ??= indexFaces(loadFaces());
  const { faces, index } = byCodePoint;
  const wanted = new Set<number>();
  for (const ch of text) {
    const i = index.get(ch.codePointAt(0)!);
    if (i !== undefined) wanted.add(i);
  }
  const rules: string[] = [];
  for (const i of [...wanted].sort((a, b) => a - b)) {
    const face = faces[i]!;
    let uri = dataUris.get(face.file);
    if (!uri) {
      uri = `data:font/woff2;base64,${readFileSync(join(fontDir, 'files', face.file)).toString('base64')}`;
      dataUris.set(face.file, uri);
    }
    rules.push(face.rule.replace('%URI%', uri));
  }
  return rules.join('\n');
}
