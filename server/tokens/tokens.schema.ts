import { z } from 'zod';
import { form } from '../lib/validation.ts';

/** How long a new token lasts, in days: the choices of the form (90 unless chosen). */
export const TOKEN_LIFETIMES = [30, 90, 365] as const;
export const DEFAULT_LIFETIME = 90;

export const CreateToken = z.object({
  name: form.text(60),
  days: z.preprocess(
    (v) => (v === undefined || v === '' ? DEFAULT_LIFETIME : Number(v)),
    z.union(
      TOKEN_LIFETIMES.map((d) => z.literal(d)),
      { error: 'validation.invalidChoice' },
    ),
  ),
});
export type CreateTokenInput = z.output<typeof CreateToken>;
