import { z } from 'zod';
import { zones } from '../../db/schema/index.ts';
import { form } from '../lib/validation.ts';

export { zones };

export const RegionSearch = z.object({
  q: form.optionalText(40),
  page: form.page(),
});

export const RegionCode = z.string().regex(/^\d{6}(\d{3}(\d{3})?)?$/);

export const SetZone = z.object({
  zone: z.enum(zones, { error: 'validation.invalidChoice' }),
});
