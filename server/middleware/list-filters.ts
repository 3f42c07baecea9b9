import type { RequestHandler } from 'express';
import type { Db } from '../../db/client.ts';
import type { StickyList } from '../filters/filters.schema.ts';
import { writesHeld } from '../lib/write-gate.ts';
import { clearFilters, filtersOf, keepFilters, stickyQuery } from '../filters/filters.service.ts';

/**
 * Filters that stay (year, side, region), always in the URL so a view can be bookmarked and sent
 * to the partner side:
 *  - the list opened bare: 302 to the same list with the user's saved filters, if any;
 *  - opened with a query: that query is the view, as it stands (a link from a colleague is never
 *    changed by one's own filters), and its filters are kept for next time;
 *  - `?filters=clear` (the "清除筛选" link): forgets them and opens the list bare.
 * One search of the table's key per view; a write only when the filters change. A list of one
 * pairing's records (`pairing=`) is that pairing's page, neither kept nor restored. Runs after
 * `regionFilterByName`, so a region typed as a name is kept as the code prefix it became.
 */
export function listFilters(db: Db, list: StickyList): RequestHandler {
  return (req, res, next) => {
    const user = req.user;
    const query = req.query as Record<string, unknown>;
    if (!user || query.pairing !== undefined) return next();
    if (query.filters === 'clear') {
      clearFilters(db, user.id, list);
      return res.redirect(302, req.path);
    }
    const saved = filtersOf(db, user.id, list);
    if (Object.keys(query).length === 0) {
      if (saved.query) return res.redirect(302, `${req.path}?${saved.query}`);
      return next();
    }
    const now = stickyQuery(query);
    // a preference: while an import holds the one write lock, it is not worth a wait (write-gate.ts)
    if (!writesHeld()) keepFilters(db, user.id, list, now, saved.stored);
    if (now) res.locals.clearFiltersHref = `${req.path}?filters=clear`;
    next();
  };
}
