import type { Db } from '../../db/client.ts';
import { forgetFilters, saveFilters, savedFilters } from './filters.queries.ts';
import { STICKY_KEYS, StickyFilters, type StickyList } from './filters.schema.ts';

/**
 * The filters of a query, in one canonical order, as a query string ('' for none). Values the list
 * would not accept are left out, so a bad one saved earlier (or typed into the URL) is never
 * brought back.
 */
export function stickyQuery(query: Record<string, unknown>): string {
  const parsed = StickyFilters.safeParse(Object.fromEntries(STICKY_KEYS.map((k) => [k, query[k]])));
  const out = new URLSearchParams();
  if (parsed.success) for (const k of STICKY_KEYS) if (parsed.data[k] !== undefined) out.set(k, String(parsed.data[k]));
  return out.toString();
}

/** The user's saved filters of the list as a query string ('' for none), checked again as read. */
export function filtersOf(db: Db, userId: number, list: StickyList): { stored: string | undefined; query: string } {
  const stored = savedFilters(db, userId, list);
  return { stored, query: stored ? stickyQuery(Object.fromEntries(new URLSearchParams(stored))) : '' };
}

/** Keeps the filters the user opened the list with (none: forgets them); writes only on a change. */
export function keepFilters(db: Db, userId: number, list: StickyList, query: string, stored: string | undefined): void {
  if (query === (stored ?? '')) return;
  if (query === '') forgetFilters(db, userId, list);
  else saveFilters(db, userId, list, query);
}

export function clearFilters(db: Db, userId: number, list: StickyList): void {
  forgetFilters(db, userId, list);
}
