import { sqliteErrorOf } from './sqlite-errors.ts';
import type { FieldError } from './validation.ts';

/**
 * Unique-key races. A service may check "is this name free?" first, but two requests can both pass
 * that check (user creation awaits password hashing between the check and the insert); the
 * database's unique index is the real guard. This turns its error into the form field to blame.
 */
export interface UniqueViolation {
  /** Columns as the form names them (camelCase), e.g. ['pairingId', 'ref']. */
  columns: string[];
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/**
 * Recognises "UNIQUE constraint failed: users.username" (columns named) and
 * "UNIQUE constraint failed: index 'funds_ref_uq'" (an index over expressions: its name minus the
 * table and the _uq/_unique suffix, e.g. 'ref').
 */
export function uniqueViolation(err: unknown): UniqueViolation | undefined {
  const e = sqliteErrorOf(err);
  if (!e || (e.code !== 'SQLITE_CONSTRAINT_UNIQUE' && e.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY')) return undefined;
  const detail = e.message.replace(/^UNIQUE constraint failed:\s*/, '');
  const index = /^index '([^']+)'$/.exec(detail)?.[1];
  if (index) {
    const parts = index.replace(/_(uq|unique|uniq|key|idx)$/, '').split('_');
    // drop the table name in front when there is something after it
    return { columns: [camel((parts.length > 1 ? parts.slice(1) : parts).join('_'))] };
  }
  const columns = detail
    .split(',')
    .map((c) => c.trim().split('.').pop() ?? '')
    .filter(Boolean)
    .map(camel);
  return { columns };
}

const MESSAGES: Record<string, string> = {
  username: 'validation.usernameTaken',
  ref: 'records.rule.refTaken',
};

/**
 * The one field to show the message on: the last of the key's columns that the form has (a ledger
 * number is unique within its pairing, and the pairing is not a form field), else the last column.
 */
export function uniqueFieldError(
  violation: UniqueViolation,
  formFields: readonly string[],
): { field: string; error: FieldError } {
  const inForm = violation.columns.filter((c) => formFields.includes(c));
  const field = inForm.at(-1) ?? violation.columns.at(-1) ?? '_form';
  return { field, error: { key: MESSAGES[field] ?? 'validation.duplicate' } };
}
