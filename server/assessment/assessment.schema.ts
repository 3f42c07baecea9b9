import { z } from 'zod';
import { inputKinds } from '../../db/schema/index.ts';
import type { Request } from 'express';
import { form } from '../lib/validation.ts';
import { param, yearParam } from '../middleware/params.ts';

export const ObjectKeyParam = z.string().regex(/^(r\.(assisting|assisted)\.\d{6}|p\.\d+)$/);

export const SubmitInput = z.object({
  kind: z.enum(inputKinds, { error: 'validation.invalidChoice' }),
  objectKey: ObjectKeyParam,
  indicatorKey: z.preprocess((v) => (v === undefined ? '' : v), z.string().max(60)),
  score: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    z.coerce.number({ error: 'validation.invalid' }).min(0, 'validation.notNegative').max(100).optional(),
  ),
  decision: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(['yes', 'no'], { error: 'validation.invalidChoice' }).optional(),
  ),
  // whether a comment is required depends on the kind and the value (a disagreement, a departure
  // from the self score): the service decides and names the reason it asks for
  text: form.optionalText(4000).transform((v) => v ?? ''),
});

export const MoveRound = z.object({ version: z.coerce.number().int().min(1), reason: form.optionalText(1000) });
export const SaveFramework = z.object({ doc: z.string().min(2).max(2_000_000), version: z.coerce.number().int().min(1) });

export const LeagueQuery = z.object({
  sort: z.enum(['rank', 'name', 'percent']).default('rank').catch('rank'),
  filter: z.enum(['all', 'above', 'below']).default('all').catch('all'),
  /** One group, page by page; without it every group shows its first page. */
  group: z.string().max(40).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).optional().catch(undefined),
});

export { yearParam };
export const keyParam = (req: Request) => param(req, 'key', ObjectKeyParam);
/** Naming the round's owner: an evaluator's id, or empty for none. */
export const NameOwner = z.object({
  ownerId: z.preprocess((v) => (v === '' || v === undefined ? null : v), z.coerce.number().int().positive().nullable()),
  version: z.coerce.number().int().min(1),
});

/** The confirmation of publishing: the box must be ticked (an unticked box is not sent at all). */
export const ConfirmPublish = z.object({
  version: z.coerce.number().int().min(1),
  confirm: z.preprocess((v) => v !== undefined && v !== '', z.boolean()),
});
