import { z } from 'zod';
import { pairingLevels, pairingStatuses, pairupKinds, sides } from '../../db/schema/index.ts';
import type { FieldDef } from '../lib/fields.ts';
import { filters, form } from '../lib/validation.ts';
import { pairingSorts } from './pairings.queries.ts';

export { pairingLevels, pairingStatuses, pairupKinds, pairingSorts };

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
export const yearField = () =>
  z.preprocess(
    blank,
    z.coerce
      .number({ error: 'validation.year' })
      .int('validation.year')
      .min(1996, 'validation.year')
      .max(2100, 'validation.year'),
  );
const optionalYear = () =>
  z.preprocess(
    blank,
    z.coerce.number().int('validation.year').min(1996, 'validation.year').max(2100, 'validation.year').optional(),
  );
const regionCode = () =>
  z.preprocess(blank, z.string({ error: 'validation.required' }).regex(/^\d{6}(\d{3}(\d{3})?)?$/, 'validation.regionUnknown'));
const optionalId = () => z.preprocess(blank, z.coerce.number().int().positive().optional());

export const PairingInput = z.object({
  level: z.enum(pairingLevels, { error: 'validation.invalidChoice' }),
  pairupKind: z.preprocess(blank, z.enum(pairupKinds, { error: 'validation.invalidChoice' }).optional()),
  parentId: optionalId(),
  assistingCode: regionCode(),
  assistingUnit: form.optionalText(100),
  assistedCode: regionCode(),
  assistedUnit: form.optionalText(100),
  startYear: yearField(),
  endYear: optionalYear(),
  status: z.preprocess(blank, z.enum(pairingStatuses, { error: 'validation.invalidChoice' }).default('active')),
  outsideZones: form.checkbox(),
  notes: form.optionalText(2000),
});
export type PairingInput = z.output<typeof PairingInput>;

export const UpdatePairing = PairingInput.extend({ version: z.coerce.number().int().min(1), reason: form.optionalText(500) });

export const EndPairing = z.object({ endYear: yearField(), version: z.coerce.number().int().min(1) });

export const ListPairings = z.object({
  level: z.enum(pairingLevels).optional().catch(undefined),
  status: z.enum(pairingStatuses).optional().catch(undefined),
  year: filters.year(),
  region: filters.region(),
  /** Which side the region filter looks at (帮扶方 or 受援方); without it, either. */
  side: z.enum(sides).optional().catch(undefined),
  parentId: filters.id(),
  pairupKind: z.enum(pairupKinds).optional().catch(undefined),
  q: form.optionalText(40).catch(undefined),
  sort: z.enum(pairingSorts).default('level').catch('level'),
  page: form.page().catch(undefined),
});
export type ListPairingsInput = z.output<typeof ListPairings>;

/** A pairing's fields as its history shows them (labels `field.<name>`; choices by their names below). */
export const PAIRING_HISTORY_FIELDS: FieldDef[] = [
  { name: 'level', type: 'text', max: 20 },
  { name: 'pairupKind', type: 'text', max: 40 },
  { name: 'parentId', type: 'id' },
  { name: 'assistingCode', type: 'region' },
  { name: 'assistingUnit', type: 'text', max: 100 },
  { name: 'assistedCode', type: 'region' },
  { name: 'assistedUnit', type: 'text', max: 100 },
  { name: 'startYear', type: 'int' },
  { name: 'endYear', type: 'int' },
  { name: 'status', type: 'text', max: 20 },
  { name: 'outsideZones', type: 'text', max: 5 },
  { name: 'notes', type: 'textarea', max: 2000 },
];

/** The i18n key naming a pairing's choice (its level, status or pair-up kind), or undefined. */
export function pairingChoiceKey(name: string, value: unknown): string | undefined {
  if (name === 'level') return `pairings.level.${String(value)}`;
  if (name === 'status') return `pairings.status.${String(value)}`;
  if (name === 'pairupKind') return `pairings.kind.${String(value)}`;
  return undefined;
}
