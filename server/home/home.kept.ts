import { keeperOn } from '../lib/data-version.ts';

/**
 * Results that depend on the assessment's state only (its frameworks, rounds and inputs, and the
 * structure they name): the newest round still running, the published scorecards, an evaluator's
 * scores owed. They are kept while the counters of migration 0005 for `assessment:<year>` and the
 * structure stand: one read of those counters per page view instead of a framework list and a
 * basis per year.
 */
const STAMP_SQL =
  "SELECT group_concat(key || '=' || version, ',') FROM data_versions WHERE key = 'structure' OR key LIKE 'assessment:%'";

export const keptOnAssessment = keeperOn((db) => (db.$client.prepare(STAMP_SQL).pluck().get() as string | null) ?? '', 500);
