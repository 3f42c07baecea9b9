import { z } from 'zod';
import { form } from '../lib/validation.ts';

/** The list's query string: a page number (a bad one shows the first page). */
export const ListNotifications = z.object({ page: form.page().catch(undefined) });
