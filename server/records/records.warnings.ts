import type { Db } from '../../db/client.ts';
import { NeedsConfirmationError, type Warning } from '../lib/errors.ts';
import type { RecordInput, RecordKindKey } from './records.kinds.ts';
import { warningsDigest } from '../lib/warnings-digest.ts';

/**
 * Plausibility warnings: values that are allowed but rarely right (a disbursement 80 times its
 * commitment is more often a slip of the unit than a fact). A record that trips one is saved only
 * when the user confirms it ("是的，数值无误，保存"); the audit row names the rules confirmed.
 *
 * The rule set is data in a module, not a table: each check is code (one reads last year's
 * records), a table could only hold its threshold, and a warning never blocks, it asks. The
 * admin page /admin/warnings lists these objects read-only, with their thresholds; making a
 * threshold editable would move `limit` into a settings table and change nothing else.
 * Labels are i18n keys: `warning.<id>` (name), `warning.<id>.rule` (what it checks, with the
 * limit), `warning.<id>.message` (what it says about one record).
 */

/** A warning a record trips: its rule and the field it is about. */
export type RecordWarning = Warning & { rule: string; field: string };

/** What a rule may know besides the input: the pair it is entered under and its own last year. */
export interface WarningContext {
  kind: RecordKindKey;
  pairing: { id: number; level: string };
  /** The same pair's head count last year for the measure this record adds to (0 for none). */
  peopleLastYear: (kind: RecordKindKey, input: RecordInput) => number;
}

export interface WarningRule {
  id: string;
  kinds: readonly RecordKindKey[];
  /** The fields it reads: an edit that changes none of them is not asked again. */
  fields: readonly string[];
  /** Its threshold, as shown on the admin page (`warning.<id>.rule` fills them in). */
  limit: Record<string, number>;
  /** Money parameters of the rule's limit and message (fen, shown in the reader's unit). */
  money: readonly string[];
  check: (input: RecordInput, ctx: WarningContext) => Record<string, number> | undefined;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

/** 1 亿元 in fen. */
const YI_FEN = 100_000_000 * 100;
const PAIRUP_MONEY: Partial<Record<RecordKindKey, string[]>> = {
  funds: ['committedFen', 'disbursedFen'],
  projects: ['pledgedFen', 'actualFen'],
  consumption: ['amountFen'],
};

export const WARNING_RULES: readonly WarningRule[] = [
  {
    id: 'disbursedAboveCommitted',
    kinds: ['funds'],
    fields: ['disbursedFen', 'committedFen'],
    limit: {},
    money: ['disbursed', 'committed'],
    check(input) {
      const disbursed = num(input.disbursedFen);
      const committed = num(input.committedFen);
      return disbursed > committed ? { disbursed, committed } : undefined;
    },
  },
  {
    id: 'peopleTenfold',
    kinds: ['talents', 'labour'],
    fields: ['people', 'year', 'kind', 'direction'],
    limit: { factor: 10 },
    money: [],
    check(input, ctx) {
      const people = num(input.people);
      const last = people > 10 ? ctx.peopleLastYear(ctx.kind, input) : 0;
      return last > 0 && people > 10 * last ? { people, last, factor: 10, year: input.year - 1 } : undefined;
    },
  },
  {
    id: 'pairupAboveYi',
    kinds: ['funds', 'projects', 'consumption'],
    fields: ['committedFen', 'disbursedFen', 'pledgedFen', 'actualFen', 'amountFen'],
    limit: { limit: YI_FEN },
    money: ['amount', 'limit'],
    check(input, ctx) {
      if (ctx.pairing.level !== 'pairup') return undefined;
      const amount = Math.max(0, ...(PAIRUP_MONEY[ctx.kind] ?? []).map((f) => num(input[f])));
      return amount > YI_FEN ? { amount, limit: YI_FEN } : undefined;
    },
  },
];

/** The same pair's head count of a year: talents of one kind and direction, or labour (on the (pairing, year) index). */
export const PEOPLE_OF_YEAR_SQL = {
  talents:
    'SELECT coalesce(sum(people), 0) FROM talents WHERE pairing_id = ? AND year = ? AND kind = ? AND direction = ? AND deleted_at IS NULL',
  labour: 'SELECT coalesce(sum(people), 0) FROM labour WHERE pairing_id = ? AND year = ? AND deleted_at IS NULL',
} as const;

/** The same pair's people last year for the measure of this record. */
function peopleLastYear(db: Db, pairingId: number) {
  return (kind: RecordKindKey, input: RecordInput): number => {
    const year = input.year - 1;
    const value =
      kind === 'talents'
        ? db.$client.prepare(PEOPLE_OF_YEAR_SQL.talents).pluck().get(pairingId, year, String(input.kind), String(input.direction))
        : db.$client.prepare(PEOPLE_OF_YEAR_SQL.labour).pluck().get(pairingId, year);
    return Number(value ?? 0);
  };
}

/**
 * The warnings a record's values trip. On an edit (`current` given), a rule none of whose fields
 * changed is not asked again: it was confirmed (or not tripped) when those values were saved.
 */
export function recordWarnings(
  db: Db,
  kind: RecordKindKey,
  pairing: { id: number; level: string },
  input: RecordInput,
  current?: Record<string, unknown>,
): RecordWarning[] {
  const ctx: WarningContext = { kind, pairing, peopleLastYear: peopleLastYear(db, pairing.id) };
  const out: RecordWarning[] = [];
  for (const rule of WARNING_RULES) {
    if (!rule.kinds.includes(kind)) continue;
    if (current && rule.fields.every((f) => !(f in input) || (input[f] ?? null) === (current[f] ?? null))) continue;
    const params = rule.check(input, ctx);
    const field = rule.fields.find((f) => f in input) ?? rule.fields[0]!;
    if (params) out.push({ rule: rule.id, field, key: `warning.${rule.id}.message`, params, money: rule.money });
  }
  return out;
}

/**
 * The warnings the user must confirm before the save: throws NeedsConfirmationError unless the
 * confirmation is the digest of these very warnings (the page's: lib/warnings-digest.ts); returns the rule ids confirmed, for the audit row.
 */
export function confirmedWarnings(warnings: readonly RecordWarning[], confirmed: unknown): string[] {
  if (warnings.length === 0) return [];
  if (confirmed !== warningsDigest(warnings)) throw new NeedsConfirmationError(warnings);
  return warnings.map((w) => w.rule);
}
