import { z } from 'zod';
import { roles } from '../../db/schema/index.ts';
import type { FieldDef } from '../lib/fields.ts';
import { PASSWORD_MIN_LENGTH } from '../lib/passwords.ts';
import { form } from '../lib/validation.ts';

export { roles };

/** A user's fields as its history shows them, in the form's order; labelled as the form labels them. */
export const USER_HISTORY_FIELDS: FieldDef[] = [
  { name: 'username', type: 'text', max: 40 },
  { name: 'displayName', type: 'text', max: 100 },
  { name: 'role', type: 'text', max: 20 },
  { name: 'regionCode', type: 'region' },
  { name: 'email', type: 'text', max: 200 },
];

/** The key of a user's field's label (the form's: `users.<name>`; the region's is `users.region`). */
export const userLabelKey = (name: string) => (name === 'regionCode' ? 'users.region' : `users.${name}`);

const username = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toLowerCase() : v),
  z
    .string()
    .min(1, 'validation.required')
    .regex(/^[a-z0-9._-]{3,40}$/, 'validation.username'),
);
// The rest of the policy (username, region, common passwords) needs the account: users.service.ts.
const password = form.text(200).pipe(z.string().min(PASSWORD_MIN_LENGTH, 'password.tooShort'));
const role = z.enum(roles, { error: 'validation.invalidChoice' });
const regionCode = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() : v),
  z.union([z.literal('').transform(() => null), z.string().regex(/^\d{6}$/, 'validation.regionUnknown')]).default(null),
);
/**
 * Optional: where the daily digest is mailed. Submitted empty: none (null); left out of an edit:
 * unchanged (undefined), so a form or a caller without the field never clears it.
 */
const editedEmail = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim() || null : v),
  z.email('validation.email').max(200, 'validation.email').nullable().optional(),
);
const email = editedEmail.transform((v) => v ?? null);
const passwordsMatch = (v: { password: string; passwordConfirm: string }) => v.password === v.passwordConfirm;
const mismatch = { error: 'validation.passwordMismatch', path: ['passwordConfirm'] };

export const CreateUser = z
  .object({
    username,
    displayName: form.text(60),
    role,
    regionCode,
    email,
    password,
    passwordConfirm: form.text(200),
  })
  .refine(passwordsMatch, mismatch);
/** `email` may be left out by the command line and the seeds. */
export type CreateUserInput = Omit<z.output<typeof CreateUser>, 'email'> & { email?: string | null };

export const UpdateUser = z.object({
  displayName: form.text(60),
  role,
  regionCode,
  email: editedEmail,
  version: z.coerce.number().int().min(1),
});
/** `email` left out (undefined) keeps the address; null clears it. */
export type UpdateUserInput = Omit<z.output<typeof UpdateUser>, 'email'> & { email?: string | null | undefined };

export const ResetPassword = z.object({ password, passwordConfirm: form.text(200) }).refine(passwordsMatch, mismatch);

export const ChangeOwnPassword = z
  .object({ currentPassword: form.text(200), password, passwordConfirm: form.text(200) })
  .refine(passwordsMatch, mismatch);
export type ChangeOwnPasswordInput = z.output<typeof ChangeOwnPassword>;

export const ListUsers = z.object({
  role: z.preprocess((v) => (v === '' ? undefined : v), role.optional()).catch(undefined),
  q: form.optionalText(40).catch(undefined),
  page: form.page().catch(undefined),
});
