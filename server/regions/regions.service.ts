import type { Db } from '../../db/client.ts';
import type { Zone } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { actorId, type Actor } from '../lib/actor.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../lib/errors.ts';
import { regionCapabilities } from './regions.policy.ts';
import { pageWindow } from '../lib/pagination.ts';
import { remember } from '../lib/data-version.ts';
import * as q from './regions.queries.ts';

export type { Region } from './regions.queries.ts';
export { scopePrefix, codeWithin, prefixRange, isWithin, prefixOfCode, contains } from './regions.scope.ts';

/** A region of the province/prefecture/county tree, or undefined. */
export function findRegion(db: Db, code: string) {
  return q.findRegion(db, code);
}

export function getRegion(db: Db, code: string) {
  const region = q.findRegion(db, code);
  if (!region) throw new NotFoundError();
  return region;
}

export { regionCapabilities };

/** Everything the region page shows: the region, its ancestors, its province's zone, its children. */
export function regionPage(db: Db, code: string) {
  const region = getRegion(db, code);
  const ancestors = q.listAncestors(db, region);
  const province = region.level === 'province' ? region : ancestors[0];
  return { region, ancestors, zone: province?.zone ?? 'none', children: q.listChildren(db, code) };
}

/**
 * The provinces with their number of divisions, and the count per level: kept per structure
 * version (a region's change bumps it), as counting 700,000 regions on every view of the list did.
 */
export function overview(db: Db) {
  return {
    provinces: remember(db, 'regions.provinces', () => Object.freeze(q.listProvinces(db)), 'structure'),
    counts: regionCounts(db),
  };
}

export function search(db: Db, query: string, requestedPage?: number) {
  const total = q.countSearch(db, query);
  const w = pageWindow(requestedPage, total);
  const items = q.searchRegions(db, query, w.pageSize, w.offset);
  return { items, page: w.page, pages: w.pages, total };
}

export function setZone(db: Db, actor: Actor, code: string, zone: Zone) {
  const region = getRegion(db, code);
  if (!regionCapabilities(actor, region).setZone) {
    if (actor.role !== 'admin') throw new ForbiddenError();
    throw new ValidationError({ zone: { key: 'regions.zoneNotProvince' } });
  }
  db.transaction((tx) => {
    q.updateZone(tx, code, zone);
    recordAudit(tx, {
      actorId: actorId(actor),
      action: 'update',
      entity: 'region.zone',
      entityId: code,
      before: { zone: region.zone },
      after: { zone },
    });
  });
  return { ...region, zone };
}

export function regionCounts(db: Db) {
  return remember(db, 'regions.counts', () => Object.freeze(q.countByLevel(db)), 'structure');
}

/** Regions by code, in one query (for validating many codes at once). */
export function findRegions(db: Db, codes: readonly string[]) {
  return new Map(q.findRegionsByCode(db, codes).map((r) => [r.code, r]));
}

/** The full names of regions, by code (unknown codes are left out). */
export function regionNames(db: Db, codes: readonly string[]): Map<string, string> {
  return new Map(q.findRegionsByCode(db, codes).map((r) => [r.code, r.fullName]));
}

/** Whether a region has divisions below it (a prefecture without counties is a county-level unit). */
export function hasChildren(db: Db, code: string): boolean {
  return q.listChildren(db, code).length > 0;
}

export { findRegionsByName } from './regions.queries.ts';

export { regionTable } from './regions.queries.ts';

import { pickRegion } from './regions.pick.ts';
export { pickRegion, suggestRegions, type RegionOption, type RegionPick } from './regions.pick.ts';

/** The picker of a form's region fields (middleware/forms.ts): names, paths, codes or a bracketed code, loosely. */
export function regionFields(db: Db, names: readonly string[]) {
  return { names, pick: (text: string) => pickRegion(db, text, { loose: true }) };
}
