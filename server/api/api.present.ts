import type { z } from 'zod';
import type { AgreementRow } from '../agreements/agreements.service.ts';
import type { GroupResult, ObjectResult } from '../assessment/assessment.service.ts';
import type { FieldDef } from '../lib/fields.ts';
import type { PairingView } from '../pairings/pairings.service.ts';
import type { RecordKind } from '../records/records.service.ts';
import { listableFields } from '../records/records.service.ts';
import { AGREEMENT_FIELDS } from '../agreements/agreements.service.ts';
import type { Pairing, Scorecard, ScorecardSummary } from './api.schemas.ts';

/**
 * Rows as the read API answers them (the shapes of api.schemas.ts): ISO dates, integer fen,
 * region codes with their names; never the bookkeeping (versions, who edited).
 */
const iso = (d: unknown) => (d instanceof Date ? d.toISOString() : typeof d === 'number' ? new Date(d).toISOString() : null);

/** The fields of a registry (record kind, agreement), a region field as its code and name. */
function fieldsOf(fields: readonly FieldDef[], row: Record<string, unknown>, names: ReadonlyMap<string, string>) {
  return Object.fromEntries(
    fields.map((f) => {
      const v = row[f.name] ?? null;
      if (f.type === 'region') return [f.name, typeof v === 'string' ? { code: v, name: names.get(v) ?? v } : null];
      return [f.name, v];
    }),
  );
}

/** The region codes a page of rows names in region fields, to look their names up at once. */
export function regionCodesOf(kind: RecordKind, rows: readonly { record: Record<string, unknown> }[]): string[] {
  const fields = listableFields(kind).filter((f) => f.type === 'region');
  return [...new Set(rows.flatMap((r) => fields.map((f) => r.record[f.name]).filter((v): v is string => typeof v === 'string')))];
}

/** A region as a list or the region page has it: the fields each query read. */
export function presentRegion(r: {
  code: string;
  name: string;
  fullName?: string;
  level?: string;
  zone?: string | null;
  childCount?: number;
}) {
  const out: Record<string, unknown> = { code: r.code, name: r.name };
  for (const k of ['fullName', 'level', 'zone', 'childCount'] as const) if (r[k] !== undefined) out[k] = r[k];
  return out;
}

export function presentPairing(p: PairingView): z.output<typeof Pairing> {
  const zone = (z: string | null) => (z === 'east' || z === 'west' || z === 'none' ? z : null);
  return {
    id: p.id,
    level: p.level,
    pairupKind: p.pairupKind,
    parentId: p.parentId,
    assisting: { code: p.assistingCode, name: p.assistingName, unit: p.assistingUnit, zone: zone(p.assistingZone) },
    assisted: { code: p.assistedCode, name: p.assistedName, unit: p.assistedUnit, zone: zone(p.assistedZone) },
    startYear: p.startYear,
    endYear: p.endYear,
    status: p.status,
    outsideZones: p.outsideZones,
    notes: p.notes,
    updatedAt: iso(p.updatedAt)!,
  };
}

export function presentAgreement(a: AgreementRow) {
  return {
    pairingId: a.pairingId,
    year: a.year,
    ...fieldsOf(AGREEMENT_FIELDS, a as unknown as Record<string, unknown>, new Map()),
    updatedAt: iso(a.updatedAt),
  };
}

interface RecordWithPairing {
  record: Record<string, unknown> & { id: number; pairingId: number; side?: unknown; updatedAt?: unknown };
  pairing: { assistingCode: string; assistedCode: string; assistingName: string; assistedName: string; pairingLevel: string };
}

export function presentRecord(kind: RecordKind, r: RecordWithPairing, names: ReadonlyMap<string, string>) {
  return {
    id: r.record.id,
    pairing: {
      id: r.record.pairingId,
      level: r.pairing.pairingLevel,
      assisting: { code: r.pairing.assistingCode, name: r.pairing.assistingName },
      assisted: { code: r.pairing.assistedCode, name: r.pairing.assistedName },
    },
    side: r.record.side,
    ...fieldsOf(listableFields(kind), r.record, names),
    updatedAt: iso(r.record.updatedAt),
  };
}

export function presentSummary(year: number, group: GroupResult, o: ObjectResult): z.output<typeof ScorecardSummary> {
  return {
    year,
    key: o.key,
    name: o.name,
    side: o.side,
    group: { key: group.key, name: group.name },
    total: o.total,
    max: o.max,
    percent: o.percent,
    grade: o.grade,
    rank: o.rank,
    quotaApplied: o.quotaApplied,
    vetoes: o.vetoes,
    previous: o.previous,
  };
}

export function presentScorecard(
  year: number,
  found: { group: GroupResult; object: ObjectResult; publishedAt: Date | null },
): z.output<typeof Scorecard> {
  return {
    ...presentSummary(year, found.group, found.object),
    publishedAt: iso(found.publishedAt),
    indicators: found.object.indicators.map((i) => ({
      key: i.key,
      name: i.name,
      area: i.area,
      max: i.max,
      score: i.score,
      measure: i.measure,
      value: i.value,
      target: i.target,
      percentOfTarget: i.percentOfTarget,
      previous: i.previous,
      band: i.band,
      notApplicable: i.notApplicable,
    })),
  };
}
