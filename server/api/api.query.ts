import { z } from 'zod';
import { ValidationError } from '../lib/errors.ts';
import { parseInput, type FieldErrors } from '../lib/validation.ts';

/**
 * A list page's query schema as the API reads it. A page ignores a bad filter (its schemas
 * `.catch` it: a typo in a bookmark still shows a list); a program is told instead. So the API
 * takes the page's own schema — the same filters, bounds and defaults — without its catches, and
 * refuses parameters it does not know.
 */
type Uncaught<T extends z.core.$ZodShape> = {
  [K in keyof T]: T[K] extends z.ZodCatch<infer I extends z.core.$ZodType> ? I : T[K];
};
export function strictQuery<T extends z.core.$ZodShape>(pageSchema: z.ZodObject<T>): z.ZodObject<Uncaught<T>, z.core.$strict>;
export function strictQuery(pageSchema: z.ZodType): z.ZodObject;
export function strictQuery(pageSchema: z.ZodType): z.ZodObject {
  if (!(pageSchema instanceof z.ZodObject)) throw new Error('a list query is an object schema');
  const shape = Object.fromEntries(
    Object.entries(pageSchema.shape as Record<string, z.ZodType>).map(([name, s]) => [
      name,
      s instanceof z.ZodCatch ? (s.unwrap() as z.ZodType) : s,
    ]),
  );
  return z.strictObject(shape);
}

/** No query parameters. */
export const NoQuery = z.strictObject({});

/**
 * Parses a request's query; a blank value counts as absent (as the pages' forms send it). Bad input
 * is a ValidationError: 422 with one message per parameter, an unknown parameter named as such.
 */
export function parseQuery<S extends z.ZodObject>(schema: S, query: unknown): z.output<S> {
  const given = Object.entries((query ?? {}) as Record<string, unknown>).filter(([, v]) => v !== '');
  const known = given.filter(([name]) => Object.hasOwn(schema.shape, name));
  const errors: FieldErrors = Object.fromEntries(
    given.filter(([name]) => !Object.hasOwn(schema.shape, name)).map(([name]) => [name, { key: 'api.error.unknownParameter' }]),
  );
  const parsed = parseInput(schema, Object.fromEntries(known));
  if (!parsed.ok) Object.assign(errors, parsed.errors);
  if (!parsed.ok || Object.keys(errors).length > 0) throw new ValidationError(errors);
  return parsed.data;
}
