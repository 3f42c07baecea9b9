import type { Request } from 'express';
import type { z } from 'zod';
import { NotFoundError } from '../lib/errors.ts';
import { ids } from '../lib/validation.ts';

/** A route parameter parsed by its schema; anything that does not parse is a page that does not exist. */
export function param<S extends z.ZodType>(req: Request, name: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(req.params[name]);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data;
}

export const idParam = (req: Request, name = 'id') => param(req, name, ids.id);
export const yearParam = (req: Request, name = 'year') => param(req, name, ids.year);
