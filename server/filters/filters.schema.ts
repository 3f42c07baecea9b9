import { z } from 'zod';
import { sides } from '../../db/schema/index.ts';
import { filters } from '../lib/validation.ts';

/** The lists whose filters stay, each a name of its own in the table. */
export const stickyLists = ['pairings', 'records'] as const;
export type StickyList = (typeof stickyLists)[number];

/**
 * The filters that stay, read as the lists read them (a bad value, say a year out of range, is
 * dropped, never an error): the year, the side (east or west) and the region, a code prefix that
 * `regionFilterByName` has already made of a typed name.
 */
export const StickyFilters = z.object({
  year: filters.year(),
  side: z.enum(sides).optional().catch(undefined),
  region: filters.region(),
});
export const STICKY_KEYS = Object.keys(StickyFilters.shape) as (keyof z.output<typeof StickyFilters>)[];
