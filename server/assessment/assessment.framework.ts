import { z } from 'zod';
import { MEASURES } from '../records/records.service.ts';

/** Measures an indicator may compute: the pairing measures plus derived shares. */
export const INDICATOR_MEASURES = [...MEASURES.map((m) => m.key), 'confirmedShare'] as const;
export type IndicatorMeasure = (typeof INDICATOR_MEASURES)[number];

export const sides = ['assisting', 'assisted'] as const;
export type Side = (typeof sides)[number];

const key = z.string().regex(/^[a-z0-9_.-]{1,40}$/i, 'validation.invalid');
const scoring = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ratio_to_target') }),
  z.object({ type: z.literal('not_below_previous') }),
  z.object({ type: z.literal('bands'), bands: z.array(z.object({ min: z.number().min(0), points: z.number().min(0) })).min(1) }),
  z.object({ type: z.literal('boolean') }),
]);

export const Indicator = z.object({
  key,
  name: z.object({ zh: z.string().min(1).max(80), en: z.string().min(1).max(120) }),
  area: key,
  points: z.number().positive().max(100),
  side: z.enum(['assisting', 'assisted', 'both']),
  rule: z.discriminatedUnion('type', [
    z.object({ type: z.literal('computed'), measure: z.enum(INDICATOR_MEASURES), scoring }),
    z.object({ type: z.literal('judged') }),
  ]),
  bands: z
    .object({ onTrack: z.number(), progress: z.number(), highIsGood: z.boolean() })
    .default({ onTrack: 90, progress: 60, highIsGood: true }),
});
export type Indicator = z.output<typeof Indicator>;

const ObjectMember = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('region'), code: z.string().regex(/^\d{6}$/) }),
  z.object({ kind: z.literal('pairing'), pairingId: z.number().int().positive() }),
]);

export const FrameworkDoc = z.object({
  /** Shipped weights are illustrative: no public source gives the official ones. */
  illustrative: z.boolean().default(true),
  goals: z.object({
    title: z.string().min(1).max(200),
    purpose: z.string().max(4000),
    aims: z.array(z.string().max(400)).max(20),
  }),
  organisation: z.object({
    body: z.string().max(200),
    teams: z.array(
      z.object({
        key,
        name: z.string().min(1).max(100),
        /** The team's home province: it never assesses objects of that province (cross-assessment). */
        homeProvince: z.string().regex(/^\d{6}$/),
        evaluators: z.array(z.number().int().positive()),
        outsideMembers: z.array(z.string().max(100)).max(20),
        assigned: z.array(z.string()),
        lead: z.number().int().positive().nullable(),
      }),
    ),
  }),
  objects: z.object({
    groups: z
      .array(z.object({ key, name: z.string().min(1).max(100), side: z.enum(sides), members: z.array(ObjectMember) }))
      .min(1),
  }),
  content: z.object({
    areas: z.array(z.object({ key, name: z.object({ zh: z.string(), en: z.string() }) })),
    indicators: z.array(Indicator).min(1),
    /** A spread between evaluators above this share of the indicator's points is flagged. */
    judgedTolerancePercent: z.number().min(0).max(100).default(20),
  }),
  steps: z.array(
    z.object({
      stage: z.enum(['self', 'crosscheck', 'comprehensive', 'feedback', 'published']),
      due: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    }),
  ),
  grading: z.object({
    cutoffs: z
      .object({ good: z.number(), fairlyGood: z.number(), average: z.number() })
      .default({ good: 90, fairlyGood: 75, average: 60 }),
    quotaGoodPercent: z.number().min(0).max(100).nullable().default(null),
    vetoes: z.array(z.object({ key, name: z.string().max(200), cap: z.enum(['fairlyGood', 'average', 'poor']) })),
  }),
});
export type FrameworkDoc = z.output<typeof FrameworkDoc>;

/** The stable key of an assessed object: a region on one side, or one pairing. */
export type ObjectMemberT = z.output<typeof ObjectMember>;
export function objectKey(m: ObjectMemberT, side: Side): string {
  return m.kind === 'region' ? `r.${side}.${m.code}` : `p.${m.pairingId}`;
}

/** Every object key of a framework, group by group: the one way objects are enumerated. */
export function objectKeys(doc: FrameworkDoc): string[] {
  return doc.objects.groups.flatMap((g) => g.members.map((m) => objectKey(m, g.side)));
}

/** Whether a key names one of the framework's objects. */
export function hasObject(doc: FrameworkDoc, key: string): boolean {
  return doc.objects.groups.some((g) => g.members.some((m) => objectKey(m, g.side) === key));
}
