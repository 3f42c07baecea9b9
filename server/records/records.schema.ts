import { z } from 'zod';
import { confirmationStates } from '../../db/schema/index.ts';
import { schemaOf, type FieldDef } from '../lib/fields.ts';
import { form } from '../lib/validation.ts';
import { formFields, type RecordKind } from './records.kinds.ts';

const version = z.coerce.number().int().min(1);
const schemas = new Map<string, ReturnType<typeof schemaOf>>();

/** The create/update command of a kind, built once from its field list. */
export function recordSchema(kind: RecordKind, withVersion: boolean) {
  const key = `${kind.key}:${withVersion}`;
  let schema = schemas.get(key);
  if (!schema) schemas.set(key, (schema = schemaOf(formFields(kind), withVersion ? { version } : {})));
  return schema;
}

export const ConfirmFund = schemaOf([{ name: 'receivedFen', type: 'money', required: true }], { version });
export const DeleteRecord = z.object({ version });

/** The enum filters a kind's list offers, with their options (funds also filter on confirmation). */
export function filterOptions(kind: RecordKind): { name: string; enum: string; options: readonly string[] }[] {
  const enums = kind.fields.filter(
    (f): f is Extract<FieldDef, { type: 'enum' }> => f.type === 'enum' && kind.filterFields.includes(f.name),
  );
  const out = enums.map((f) => ({ name: f.name, enum: f.enum, options: f.options }));
  if (kind.filterFields.includes('confirmation'))
    out.push({ name: 'confirmation', enum: 'confirmation', options: confirmationStates });
  return out;
}

export function listSchema(kind: RecordKind) {
  const shape: Record<string, z.ZodType> = {
    pairing: z.coerce.number().int().positive().optional().catch(undefined),
    year: z.coerce.number().int().min(1996).max(2100).optional().catch(undefined),
    region: z
      .string()
      .regex(/^\d{2,12}$/)
      .optional()
      .catch(undefined),
    sort: z.enum(['date', 'oldest']).default('date').catch('date'),
    page: form.page().catch(undefined),
  };
  for (const f of filterOptions(kind))
    shape[f.name] = z
      .enum(f.options as [string, ...string[]])
      .optional()
      .catch(undefined);
  return z.object(shape);
}
