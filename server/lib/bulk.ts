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
  | { action: 'unchanged'; id: number }
  | { action: 'error'; errors: FieldErrors };

/** A plan kept from a dry run: a create's values, or an update's row, version and values. */
export type KeptPlan = { values: Record<string, unknown>; id?: number; version?: number };

/** One change an import made, as its audit row holds it (an undo walks them back). */
export interface ImportedChange {
  action: string;
  entityId: number;
  before: unknown;
  after: unknown;
}

export const keptPlanOf = (plan: RowPlan | undefined): KeptPlan | null =>
  plan?.action === 'create'
    ? { values: plan.values }
    : plan?.action === 'update'
      ? { values: plan.values, id: plan.id, version: plan.version }
      : null;
