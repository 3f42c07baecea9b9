import { z } from 'zod';
import { form } from '../lib/validation.ts';

export const AddComment = z.object({ body: form.text(2000) });
