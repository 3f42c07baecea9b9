import type { Db } from '../../db/client.ts';
import type { PairupKind, RegionLevel, UnitType } from '../../db/schema/index.ts';
import type { FieldErrors } from '../lib/validation.ts';
import { contains, findRegions, hasChildren } from '../regions/regions.service.ts';
import * as q from './pairings.queries.ts';
import type { PairingInput } from './pairings.schema.ts';

/** The unit types on each side of a pair-up kind (assisting, assisted). */
export const PAIRUP_UNITS: Record<PairupKind, [UnitType, UnitType]> = {
  township: ['township', 'township'],
  village: ['village', 'village'],
  enterprise_village: ['enterprise', 'village'],
  social_org_village: ['social_org', 'village'],
  school: ['school', 'school'],
  hospital: ['hospital', 'hospital'],
};

/** Which parent level each level hangs under (a county pair under its cities' pair where one exists). */
const PARENT_LEVELS = { province: [], city: ['province'], county: ['city', 'province'], pairup: ['county'] } as const;

/** A pairing's column values from its input (the parent as resolved by checkPairing). */
export function pairingRow(input: PairingInput, parentId: number | null) {
  return {
    level: input.level,
    pairupKind: input.level === 'pairup' ? (input.pairupKind ?? null) : null,
    parentId,
    assistingCode: input.assistingCode,
    assistingUnit: input.assistingUnit ?? null,
    assistedCode: input.assistedCode,
    assistedUnit: input.assistedUnit ?? null,
    startYear: input.startYear,
    endYear: input.endYear ?? null,
    status: input.status,
    outsideZones: input.outsideZones,
    notes: input.notes ?? null,
  };
}

/**
 * Every rule a pairing must satisfy, as one message per field. `existingId` is the pairing being
 * edited (it cannot overlap or parent itself). Returns the parent to use when none was chosen.
 * A chosen parent the actor cannot see (`parentVisible`) gets the same message as a missing one,
 * so an error never tells that an id exists outside the actor's scope.
 */
export function checkPairing(
  db: Db,
  input: PairingInput,
  existingId?: number,
  parentVisible: (id: number) => boolean = () => true,
): { errors: FieldErrors; parentId: number | null } {
  const errors: FieldErrors = {};
  const regions = findRegions(db, [input.assistingCode, input.assistedCode]);
  const sides = [
    ['assistingCode', input.assistingCode, regions.get(input.assistingCode)],
    ['assistedCode', input.assistedCode, regions.get(input.assistedCode)],
  ] as const;
  for (const [field, , region] of sides) if (!region) errors[field] = { key: 'validation.regionUnknown' };

  const isPairup = input.level === 'pairup';
  if (isPairup) {
    if (!input.pairupKind) errors.pairupKind = { key: 'validation.required' };
    if (!input.assistingUnit) errors.assistingUnit = { key: 'pairings.rule.unitRequired' };
    if (!input.assistedUnit) errors.assistedUnit = { key: 'pairings.rule.unitRequired' };
  }

  // Region levels fitting the pairing level.
  const allowed: Record<'province' | 'city' | 'county' | 'pairup', [RegionLevel[], RegionLevel[]]> = {
    province: [['province'], ['province']],
    city: [['province', 'prefecture'], ['prefecture']],
    county: [
      ['county', 'prefecture'],
      ['county', 'prefecture'],
    ],
    pairup: [
      ['county', 'town', 'village', 'prefecture'],
      ['county', 'town', 'village', 'prefecture'],
    ],
  };
  sides.forEach(([field, code, region], i) => {
    if (!region || errors[field]) return;
    const ok = allowed[input.level][i]!.includes(region.level);
    // A prefecture stands for a county only when it has no counties (东莞, 中山 …).
    const leafOnly = (input.level === 'county' || input.level === 'pairup') && region.level === 'prefecture';
    if (!ok || (leafOnly && hasChildren(db, code))) errors[field] = { key: `pairings.rule.level.${input.level}` };
  });

  const sameUnit = (input.assistingUnit ?? null) === (input.assistedUnit ?? null);
  if (input.assistingCode === input.assistedCode && sameUnit) errors.assistedCode = { key: 'pairings.rule.sameSides' };

  // East assists west, unless an admin allowed other regions for this pairing.
  const [assistingRegion, assistedRegion] = [regions.get(input.assistingCode), regions.get(input.assistedCode)];
  if (!input.outsideZones && assistingRegion && assistedRegion) {
    const zones = findRegions(db, [assistingRegion.provinceCode, assistedRegion.provinceCode]);
    if (zones.get(assistingRegion.provinceCode)?.zone !== 'east') errors.assistingCode ??= { key: 'pairings.rule.notEast' };
    if (zones.get(assistedRegion.provinceCode)?.zone !== 'west') errors.assistedCode ??= { key: 'pairings.rule.notWest' };
  }

  if (input.endYear !== undefined && input.endYear < input.startYear) errors.endYear = { key: 'pairings.rule.endBeforeStart' };
  if (input.status === 'ended' && input.endYear === undefined) errors.endYear = { key: 'pairings.rule.endYearRequired' };

  // The parent: chosen, or the deepest live pairing whose sides contain both of ours.
  let parentId: number | null = input.parentId ?? null;
  const parentLevels: readonly string[] = PARENT_LEVELS[input.level];
  if (parentId !== null) {
    const parent = q.getPairingRow(db, parentId);
    if (!parent || parent.deletedAt || parentId === existingId || !parentVisible(parentId))
      errors.parentId = { key: 'pairings.rule.parentUnknown' };
    else if (!parentLevels.includes(parent.level)) errors.parentId = { key: `pairings.rule.parentLevel.${input.level}` };
    else if (!contains(parent.assistingCode, input.assistingCode) || !contains(parent.assistedCode, input.assistedCode)) {
      errors.parentId = { key: 'pairings.rule.outsideParent' };
    } else if (input.startYear < parent.startYear || (parent.endYear !== null && (input.endYear ?? Infinity) > parent.endYear)) {
      errors.parentId = { key: 'pairings.rule.outsideParentYears' };
    }
  } else if (isPairup) {
    errors.parentId = { key: 'pairings.rule.parentRequired' };
  } else {
    for (const level of parentLevels) {
      const found = q
        .listAtLevelFrom(db, level as 'province' | 'city', input.startYear)
        .find(
          (p) =>
            p.startYear <= input.startYear &&
            contains(p.assistingCode, input.assistingCode) &&
            contains(p.assistedCode, input.assistedCode),
        );
      if (found) {
        parentId = found.id;
        break;
      }
    }
  }

  if (!errors.assistingCode && !errors.assistedCode && !errors.endYear) {
    const clash = q.findOverlapping(db, pairingRow(input, null), existingId);
    if (clash)
      errors.startYear = {
        key: 'pairings.rule.overlap',
        params: { id: clash.id, from: clash.startYear, to: clash.endYear ?? '—' },
      };
  }
  return { errors, parentId };
}
