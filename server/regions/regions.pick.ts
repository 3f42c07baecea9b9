import type { Db } from '../../db/client.ts';
import * as q from './regions.queries.ts';

/**
 * A region as people write it, to its code: a GB/T 2260 code, a name path (江苏省/苏州市/昆山市),
 * a unique name (昆山市), or — where `loose` — the start of one (昆山), or a name with its code in
 * brackets as the pages show it (江苏省 苏州市 昆山市（320583）). The forms' picker and the
 * imports both read regions this way; an ambiguous text comes back with its candidates.
 */
export interface RegionOption {
  code: string;
  fullName: string;
}

export type RegionPick =
  | { ok: true; code: string }
  | { ok: false; reason: 'unknown' | 'ambiguous'; candidates: RegionOption[] }
  | { ok: false; reason: 'path'; part: string; candidates: RegionOption[] };

const CODE = /^\d{6}(\d{3}(\d{3})?)?$/;
const BRACKETED = /[（(]\s*(\d{6}(?:\d{3}(?:\d{3})?)?)\s*[）)]\s*$/;
const MAX_CANDIDATES = 8;
const PAIRED_LEVELS = new Set(['province', 'prefecture', 'county']);

const option = (r: { code: string; fullName: string }): RegionOption => ({ code: r.code, fullName: r.fullName });

export function pickRegion(db: Db, input: string, { loose = false } = {}): RegionPick {
  const text = input.trim();
  const code = CODE.test(text) ? text : loose ? BRACKETED.exec(text)?.[1] : undefined;
  if (code !== undefined) return q.findRegion(db, code) ? { ok: true, code } : { ok: false, reason: 'unknown', candidates: [] };
  const parts = text.split(/\s*[/／>＞]\s*|\s+/).filter((p) => p !== '');
  if (parts.length > 1) {
    let parent: string | null = null;
    for (const part of parts) {
      const matches = q.findRegionsByName(db, part, parent);
      if (matches.length !== 1)
        return { ok: false, reason: 'path', part, candidates: matches.slice(0, MAX_CANDIDATES).map(option) };
      parent = matches[0]!.code;
    }
    return { ok: true, code: parent! };
  }
  // one name alone: a division people pair (towns share their names too often: 城关镇)
  let matches: RegionOption[] = q
    .findRegionsByName(db, text)
    .filter((r) => !loose || PAIRED_LEVELS.has(r.level))
    .map(option);
  // a name's start ("昆山" for 昆山市) only where a person chooses from what comes back
  if (matches.length === 0 && loose) matches = q.regionsByNameStart(db, text, MAX_CANDIDATES + 1).map(option);
  if (matches.length === 1) return { ok: true, code: matches[0]!.code };
  return { ok: false, reason: matches.length === 0 ? 'unknown' : 'ambiguous', candidates: matches.slice(0, MAX_CANDIDATES) };
}

/** What the picker suggests as the user types: names starting with the text, or codes starting with it. */
export function suggestRegions(db: Db, input: string, limit = 10): RegionOption[] {
  const text = input.trim();
  if (text === '') return [];
  if (/^\d+$/.test(text)) return q.searchRegions(db, text, limit, 0).map(option);
  const exact = q
    .findRegionsByName(db, text)
    .filter((r) => PAIRED_LEVELS.has(r.level))
    .map(option);
  const starts = q.regionsByNameStart(db, text, limit).map(option);
  const seen = new Set<string>();
  return [...exact, ...starts].filter((r) => !seen.has(r.code) && seen.add(r.code)).slice(0, limit);
}
