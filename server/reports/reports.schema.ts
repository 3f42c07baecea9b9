import { z } from 'zod';
import { sides } from '../../db/schema/index.ts';
import { schemaOf } from '../lib/fields.ts';
import { form, ids } from '../lib/validation.ts';

/** The reviewer's reason for sending a report back (the side reads it before submitting again). */
export const ReturnReport = z.object({ reason: form.text(500) });

/** A year's reporting deadline, as the admin sets it (a real calendar date). */
export const SetDeadline = schemaOf([{ name: 'deadline', type: 'date', required: true }], {
  year: z.preprocess((v) => (v === '' ? undefined : v), ids.year),
});

export const sideParam = z.enum(sides);
