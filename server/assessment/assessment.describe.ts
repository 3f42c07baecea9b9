import type { Db } from '../../db/client.ts';
import { regionNames } from '../regions/regions.service.ts';
import { yearBasis } from './assessment.basis.ts';
import { regionOfKey } from './assessment.policy.ts';

/**
 * An assessment input's audit id (`2026:r.assisted.610000:org.leadership`) in words for a reader:
 * the year, the object by name and the indicator (or veto) by its name in the year's framework.
 * Anything it cannot name is left out rather than shown as a key.
 */
export function describeInputTarget(db: Db, entityId: string, locale: string): string {
  const [yearText = '', objectKey = '', indicatorKey = ''] = entityId.split(':');
  const year = Number(yearText);
  if (!Number.isInteger(year)) return '';
  const doc = yearBasis(db, year).framework?.doc;
  const code = regionOfKey(objectKey);
  const pairing = /^p\.(\d+)$/.exec(objectKey)?.[1];
  const object = code ? (regionNames(db, [code]).get(code) ?? '') : pairing ? `#${pairing}` : '';
  const indicator = doc?.content.indicators.find((i) => i.key === indicatorKey);
  const veto = doc?.grading.vetoes.find((v) => v.key === indicatorKey);
  const what = indicator ? (locale === 'en' ? indicator.name.en : indicator.name.zh) : (veto?.name ?? '');
  return [String(year), object, what].filter(Boolean).join(' · ');
}
