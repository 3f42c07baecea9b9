import { z } from 'zod';
import { sides } from '../../db/schema/index.ts';
import { schemaOf, type FieldDef } from '../lib/fields.ts';
import { filters, form } from '../lib/validation.ts';
import { formFields, listableFields, type RecordKind } from './records.kinds.ts';

const version = z.coerce.number().int().min(1);
/** "是的，数值无误，保存" on the warning page (records.warnings.ts): the implausible values are meant. */
/** The digest of the warnings the user confirmed on the warning page (records.warnings.ts). */
const confirmWarnings = form.optionalText(64);
const schemas = new Map<string, ReturnType<typeof schemaOf>>();

/** The create/update command of a kind, built once from its field list. */
export function recordSchema(kind: RecordKind, withVersion: boolean) {
  const key = `${kind.key}:${withVersion}`;
  let schema = schemas.get(key);
  if (!schema)
    schemas.set(key, (schema = schemaOf(formFields(kind), withVersion ? { version, confirmWarnings } : { confirmWarnings })));
  return schema;
}

/** The create command: the kind's fields, plus the side for users who may enter it as either. */
export function createSchema(kind: RecordKind) {
  const key = `${kind.key}:create`;
  let schema = schemas.get(key);
  if (!schema) schemas.set(key, (schema = schemaOf(formFields(kind), { side, confirmWarnings })));
  return schema;
}
const side = z.preprocess((v) => (v === '' ? undefined : v), z.enum(sides, { error: 'validation.invalidChoice' }).optional());

export const ConfirmFund = schemaOf([{ name: 'receivedFen', type: 'money', required: true }], { version });
export const DeleteRecord = z.object({ version });

/** The enum filters a kind's list offers, with their options. */
export function filterOptions(kind: RecordKind): { name: string; enum: string; options: readonly string[] }[] {
  return listableFields(kind)
    .filter((f): f is Extract<FieldDef, { type: 'enum' }> => f.type === 'enum' && kind.filterFields.includes(f.name))
    .map((f) => ({ name: f.name, enum: f.enum, options: f.options }));
}

/** A parsed list query's equality filters on the kind's columns: its enum fields and the side. */
export function columnFilters(kind: RecordKind, f: Record<string, unknown>): Record<string, string> {
  const names = [...filterOptions(kind).map((o) => o.name), 'side'];
  return Object.fromEntries(names.flatMap((name) => (typeof f[name] === 'string' ? [[name, f[name]]] : [])));
}

const listSchemas = new Map<string, z.ZodType>();
/** The query of a kind's list page, built once per kind. */
export function listSchema(kind: RecordKind): z.ZodType {
  const cached = listSchemas.get(kind.key);
  if (cached) return cached;
  const shape: Record<string, z.ZodType> = {
    pairing: filters.id(),
    year: filters.year(),
    region: filters.region(),
    /** The side that entered the records (帮扶方 or 受援方). */
    side: z.enum(sides).optional().catch(undefined),
    sort: z.enum(['date', 'oldest']).default('date').catch('date'),
    page: form.page().catch(undefined),
  };
  for (const f of filterOptions(kind))
    shape[f.name] = z
      .enum(f.options as [string, ...string[]])
      .optional()
      .catch(undefined);
  const schema = z.object(shape);
  listSchemas.set(kind.key, schema);
  return schema;
}
