import { z } from 'zod';
import { pairingLevels, pairingStatuses, pairupKinds, regionLevels, sides, zones } from '../../db/schema/index.ts';
import { grades } from '../assessment/assessment.scoring.ts';
import type { FieldDef } from '../lib/fields.ts';
import { AGREEMENT_FIELDS } from '../agreements/agreements.service.ts';
import { RECORD_KINDS, listableFields, type RecordKindKey } from '../records/records.service.ts';

/**
 * The read API's answers, as zod schemas: the OpenAPI document is generated from them
 * (api.openapi.ts) and the tests check every answer against them. Each named schema is a
 * component of the document (`#/components/schemas/<id>`).
 */
export const apiSchemas = z.registry<{ id: string }>();
export function named<S extends z.ZodType>(id: string, schema: S): S {
  apiSchemas.add(schema, { id });
  return schema;
}

const int = () => z.number().int();
const money = (what: string) => int().describe(`${what}: integer fen (分; 100 fen = 1 yuan 元, 1,000,000 fen = 1 万元)`);
const timestamp = () => z.iso.datetime().describe('ISO 8601, UTC');

export const RegionRef = named(
  'RegionRef',
  z.object({
    code: z.string().describe('GB/T 2260 administrative division code (6, 9 or 12 digits)'),
    name: z.string().describe('full name, from the province down'),
  }),
);

export const Region = named(
  'Region',
  z.object({
    code: z.string().describe('GB/T 2260 code'),
    name: z.string(),
    fullName: z.string().optional().describe('names from the province down (search results)'),
    level: z.enum(regionLevels).optional(),
    zone: z.enum(zones).nullable().optional().describe('east (assisting) or west (assisted); provinces only'),
    childCount: int().optional().describe('divisions directly below'),
  }),
);

export const RegionDetail = named(
  'RegionDetail',
  z.object({
    region: Region,
    ancestors: z.array(Region).describe('from the province down to the region’s parent'),
    zone: z.enum(zones).describe('the zone of the region’s province'),
    children: z.array(Region),
  }),
);

const PairingSide = named(
  'PairingSide',
  z.object({
    code: z.string().describe('GB/T 2260 code of the region'),
    name: z.string().describe('full name of the region'),
    unit: z.string().nullable().describe('the named unit of a pair-up (a school, an enterprise …), or null'),
    zone: z.enum(zones).nullable().describe('the zone of the region’s province'),
  }),
);

export const Pairing = named(
  'Pairing',
  z.object({
    id: int(),
    level: z.enum(pairingLevels),
    pairupKind: z.enum(pairupKinds).nullable(),
    parentId: int().nullable(),
    assisting: PairingSide.describe('the assisting (east) side'),
    assisted: PairingSide.describe('the assisted (west) side'),
    startYear: int(),
    endYear: int().nullable(),
    status: z.enum(pairingStatuses),
    outsideZones: z.boolean().describe('allowed by an admin to lie outside the east/west zones'),
    notes: z.string().nullable(),
    updatedAt: timestamp(),
  }),
);

/** The output schema of one field of the registries (record kinds, agreements): null when not given. */
function fieldSchema(f: FieldDef): z.ZodType {
  const base = (() => {
    switch (f.type) {
      case 'text':
      case 'textarea':
        return z.string();
      case 'int':
      case 'id':
        return int();
      case 'money':
        return money(f.name);
      case 'date':
        return z.iso.date();
      case 'enum':
        return z.enum(f.options as [string, ...string[]]);
      case 'region':
        return RegionRef;
    }
  })();
  return f.required ? base : base.nullable();
}

const fieldsShape = (fields: readonly FieldDef[]) => Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)]));

export const Agreement = named(
  'Agreement',
  z.object({
    pairingId: int(),
    year: int(),
    ...fieldsShape(AGREEMENT_FIELDS),
    updatedAt: timestamp(),
  }),
);

const PairingRef = named(
  'PairingRef',
  z.object({ id: int(), level: z.enum(pairingLevels), assisting: RegionRef, assisted: RegionRef }),
);

/** A record of one kind: the fields of its registry entry (records.kinds.ts), named `Record_<kind>`. */
export const RECORD_SCHEMAS = Object.fromEntries(
  Object.values(RECORD_KINDS).map((kind) => [
    kind.key,
    named(
      `Record_${kind.key}`,
      z.object({
        id: int(),
        pairing: PairingRef,
        side: z.enum(sides).describe('the side that entered the record and owns it'),
        ...fieldsShape(listableFields(kind)),
        updatedAt: timestamp(),
      }),
    ),
  ]),
) as unknown as Record<RecordKindKey, z.ZodObject>;

const points = (what: string) => int().describe(`${what}: hundredths of a point (1 point = 100)`);

export const ScorecardSummary = named(
  'ScorecardSummary',
  z.object({
    year: int(),
    key: z.string().describe('the assessed object: r.<side>.<region code> or p.<pairing id>'),
    name: z.string(),
    side: z.enum(sides),
    group: z.object({ key: z.string(), name: z.string() }),
    total: points('score'),
    max: points('maximum'),
    percent: z.number().describe('total / max, in %'),
    grade: z.enum(grades),
    rank: int().describe('rank in the group (ties share a rank)'),
    quotaApplied: z.boolean().describe('graded down by the group’s quota of “good”'),
    vetoes: z.array(z.object({ key: z.string(), name: z.string(), reason: z.string() })),
    previous: z.object({ rank: int(), percent: z.number() }).nullable().describe('last year’s result'),
  }),
);

const Indicator = named(
  'Indicator',
  z.object({
    key: z.string(),
    name: z.object({ zh: z.string(), en: z.string() }),
    area: z.string(),
    max: points('maximum'),
    score: points('score').nullable().describe('null while a judged score is pending'),
    measure: z.string().nullable().describe('the measure a computed indicator reads (null when judged)'),
    value: z.number().nullable().describe('the measure this year (money measures in fen)'),
    target: z.number().nullable().describe('the agreement target (money measures in fen)'),
    percentOfTarget: z.number().nullable(),
    previous: z.number().nullable().describe('the measure last year'),
    band: z.enum(['onTrack', 'progress', 'notOnTrack']).nullable(),
    notApplicable: z.string().nullable().describe('the reason, when not applicable'),
  }),
);

export const Scorecard = named(
  'Scorecard',
  ScorecardSummary.extend({ publishedAt: timestamp().nullable(), indicators: z.array(Indicator) }),
);

/** A page of a list: the same 50 rows a page as the app's lists. */
export function pageOf<S extends z.ZodType>(id: string, item: S) {
  return named(
    id,
    z.object({
      items: z.array(item),
      page: int().min(1),
      pages: int().min(1),
      total: int().min(0),
    }),
  );
}

export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'invalid_query',
  'rate_limited',
  'internal_error',
  'unavailable',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorBody = named(
  'Error',
  z.object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe('stable: programs branch on it'),
      message: z.string().describe('for people, in the language of the lang cookie (zh-CN by default)'),
      fields: z.record(z.string(), z.string()).optional().describe('invalid_query: one message per query parameter'),
    }),
  }),
);
