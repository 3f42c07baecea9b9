import type { FieldErrors } from './validation.ts';

/**
 * What one row of an import would do, as a domain plans it (records.bulk.ts, agreements.bulk.ts):
 * create with these column values, update a row from its version, leave it as it is, or refuse
 * with field errors. Planning never throws for what a row holds.
 */
export type RowPlan =
  | { action: 'create'; values: Record<string, unknown> }
  | {
      action: 'update';
      id: number;
      version: number;
      values: Record<string, unknown>;
      before: Record<string, unknown> & { version: number };
      changed: string[];
    }
  | { action: 'unchanged'; id: number; version: number }
  | { action: 'error'; errors: FieldErrors };

/**
 * A plan kept from a dry run: a create's values, an update's row, version and values, or the row
 * and version an unchanged line matched (a commit checks it is still so).
 */
export type KeptPlan = { values: Record<string, unknown>; id?: number; version?: number; unchanged?: true };

/** One change an import made, as its audit row holds it (an undo walks them back). */
export interface ImportedChange {
  action: string;
  entityId: number;
  before: unknown;
  after: unknown;
}

export function keptPlanOf(plan: RowPlan | undefined): KeptPlan | null {
  if (plan?.action === 'create') return { values: plan.values };
  if (plan?.action === 'update') return { values: plan.values, id: plan.id, version: plan.version };
  if (plan?.action === 'unchanged') return { values: {}, id: plan.id, version: plan.version, unchanged: true };
  return null;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/**
 * Whether a plan made now is the one kept from the dry run: the same action on the same row at the
 * same version with the same values. A commit applies nothing unless every row's is.
 */
export function samePlan(now: RowPlan | undefined, kept: KeptPlan, action: string): boolean {
  if (!now || now.action !== action) return false;
  if (now.action === 'error') return false;
  if (now.action === 'unchanged') return now.id === kept.id && now.version === kept.version;
  if (now.action === 'update' && (now.id !== kept.id || now.version !== kept.version)) return false;
  if (now.values === kept.values) return true;
  const keys = new Set([...Object.keys(now.values), ...Object.keys(kept.values)]);
  return [...keys].every((k) => same(now.values[k], kept.values[k]));
}
