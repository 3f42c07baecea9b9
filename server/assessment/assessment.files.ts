import type { Db } from '../../db/client.ts';
import type { Actor } from '../lib/actor.ts';
import { NotFoundError } from '../lib/errors.ts';
import { prefixOfCode } from '../regions/regions.service.ts';
import { filesOfRecords } from '../records/records.files.ts';
import type { IndicatorMeasure } from './assessment.framework.ts';
import { recordsLink } from './assessment.scorecards.ts';
import { regionOfKey } from './assessment.policy.ts';
import { scorecard } from './assessment.service.ts';

/** Files listed on one page at most: a province's year may hold thousands. */
export const FILES_SHOWN = 200;

/** The record kind a measure counts (the first part of the records link the "why" panel gives). */
export const kindOfMeasure = (measure: IndicatorMeasure): string | undefined =>
  /^\/records\/(\w+)/.exec(recordsLink(measure, 'p.1', 0))?.[1];

/**
 * The files attached to the records behind one indicator of a scorecard (a transfer's voucher, a
 * project's contract), or behind all of it without one: the "why" panel links here. Whoever may
 * see the scorecard sees the page; the files are those of records within the reader's own scope
 * (the records service decides). Read when asked for, not on every scorecard view.
 */
export function indicatorFiles(db: Db, actor: Actor, year: number, key: string, indicatorKey: string | undefined) {
  const { object } = scorecard(db, actor, year, key);
  const indicator = indicatorKey === undefined ? null : object.indicators.find((i) => i.key === indicatorKey);
  const kind = indicator?.measure ? kindOfMeasure(indicator.measure) : undefined;
  if (indicator === undefined || (indicator !== null && !kind)) throw new NotFoundError();
  const region = regionOfKey(object.key);
  const pairing = /^p\.(\d+)$/.exec(object.key)?.[1];
  const files = filesOfRecords(db, actor, {
    ...(region ? { regionPrefix: prefixOfCode(region) } : { pairingIds: [Number(pairing)] }),
    year,
    ...(kind ? { kinds: [kind] } : {}),
  });
  return {
    object,
    indicator,
    files: files.slice(0, FILES_SHOWN),
    total: files.length,
    records: indicator?.measure ? recordsLink(indicator.measure, object.key, year) : null,
  };
}
