import type { RequestHandler } from 'express';
import type { Db } from '../../db/client.ts';
import { prefixOfCode } from '../lib/region-codes.ts';
import { pickRegion, regionNames } from '../regions/regions.service.ts';

/**
 * A list's region filter typed as a name (苏州, 江苏省/苏州市): one region found, the same list is
 * asked again with its code prefix in the URL (a view to bookmark and share); several, the list
 * shows them to choose from (`regionFilterChoices`) — each a link to the list so filtered.
 */
export function regionFilterByName(db: Db): RequestHandler {
  return (req, res, next) => {
    const typed = req.query.region;
    if (typeof typed === 'string' && /^\d{2,12}$/.test(typed.trim())) {
      // a chosen region reads as its name beside the field (the URL keeps its code prefix)
      const code = typed.trim().padEnd(6, '0');
      res.locals.regionFilterName = regionNames(db, [code]).get(code);
      return next();
    }
    if (typeof typed !== 'string' || typed.trim() === '' || /^\d+$/.test(typed.trim())) return next();
    const picked = pickRegion(db, typed.slice(0, 60), { loose: true });
    const withRegion = (code: string) => {
      const query = new URLSearchParams(req.query as Record<string, string>);
      query.set('region', prefixOfCode(code));
      query.delete('page');
      return `${req.path}?${query.toString()}`;
    };
    if (picked.ok) return res.redirect(302, withRegion(picked.code));
    res.locals.regionFilterTyped = typed;
    res.locals.regionFilterChoices = picked.candidates.map((c) => ({ ...c, href: withRegion(c.code) }));
    next();
  };
}
