import type { Db } from '../../db/client.ts';

/**
 * Results that depend on the assessment's state only (its frameworks, rounds and inputs, and the
 * structure they name): the newest round still running, the published scorecards, an evaluator's
 * scores owed. They are kept while the counters of migration 0005 for `assessment:<year>` and the
 * structure stand: one read of those counters per page view instead of a framework list and a
 * basis per year.
 */
const STAMP_SQL =
  "SELECT group_concat(key || '=' || version, ',') FROM data_versions WHERE key = 'structure' OR key LIKE 'assessment:%'";
const KEPT = 500;
const kept = new WeakMap<object, { stamp: string; results: Map<string, unknown> }>();

export function keptOnAssessment<T>(db: Db, key: string, compute: () => T): T {
  if (db.$client.inTransaction) return compute();
  const stamp = (db.$client.prepare(STAMP_SQL).pluck().get() as string | null) ?? '';
  let state = kept.get(db.$client);
  if (!state || state.stamp !== stamp) kept.set(db.$client, (state = { stamp, results: new Map() }));
  if (state.results.has(key)) return state.results.get(key) as T;
  const value = compute();
  if (state.results.size >= KEPT) state.results.delete(state.results.keys().next().value!);
  state.results.set(key, value);
  return value;
}
