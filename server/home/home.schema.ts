import { z } from 'zod';
import { filters, form } from '../lib/validation.ts';
import { BOARD_SHOWS } from './home.staff.ts';

/** The completeness board's query: a year, what to show, a page; the admin also names a region. */
export const BoardQuery = z.object({
  year: filters.year(),
  show: z.enum(BOARD_SHOWS).default('all').catch('all'),
  region: filters.region(),
  page: form.page().catch(undefined),
});
export type BoardQuery = z.output<typeof BoardQuery>;

/** The partner's changes after an audit row (the home page's "since your last visit" link). */
export const ChangesQuery = z.object({
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0).catch(0),
});
