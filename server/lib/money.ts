/**
 * Money in one place. Amounts are integer fen (分) everywhere inside the app; users type and read
 * 元 (yuan) or 万元 (10,000 yuan). Parsing works on the digits as text, never through floats, so
 * "0.1" + "0.2" 元 is exactly 30 分.
 */
export const moneyUnits = ['yuan', 'wan'] as const;
export type MoneyUnit = (typeof moneyUnits)[number];

/** Fen per unit, and how many decimals a unit may carry before it is finer than one fen. */
const UNIT = { yuan: { fen: 100n, decimals: 2 }, wan: { fen: 1_000_000n, decimals: 6 } } as const;

/** The largest amount we accept: 1,000 亿元 per record, far above any real transfer. */
export const MAX_FEN = 100_000_000_000 * 100;

export type MoneyParse = { ok: true; fen: number } | { ok: false; error: 'invalid' | 'negative' | 'tooPrecise' | 'tooLarge' };

const FULL_WIDTH = /[０-９．，－]/g;
const toHalfWidth = (s: string) => s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/**
 * Parses what a user typed: "12,345.67", "12345", "１２３．５", "1 234" (spaces and thousands
 * separators ignored). Refuses negatives, more decimals than the unit allows (元: 2, 万元: 6),
 * and anything that is not a plain decimal number.
 */
export function parseMoney(input: string, unit: MoneyUnit = 'yuan'): MoneyParse {
  const text = toHalfWidth(input.trim()).replace(/[,\s]/g, '');
  if (text.startsWith('-')) return { ok: false, error: 'negative' };
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, error: 'invalid' };
  const [, whole = '0', frac = ''] = m;
  const { fen, decimals } = UNIT[unit];
  if (frac.replace(/0+$/, '').length > decimals) return { ok: false, error: 'tooPrecise' };
  const scale = 10n ** BigInt(decimals);
  const fracScaled = BigInt((frac + '0'.repeat(decimals)).slice(0, decimals) || '0');
  const total = (BigInt(whole) * scale + fracScaled) * fen;
  const value = total / scale;
  if (value > BigInt(MAX_FEN)) return { ok: false, error: 'tooLarge' };
  return { ok: true, fen: Number(value) };
}

/** Thousands separators in a run of digits ("1234567" → "1,234,567"). */
export function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Formats fen for display: 元 with 2 decimals ("12,345.67"), 万元 with 2 decimals rounded half up
 * ("1.23"), or `exact` 万元 with every significant decimal (for putting back into a form).
 */
export function formatMoney(fen: number | null | undefined, unit: MoneyUnit = 'yuan', options: { exact?: boolean } = {}): string {
  if (fen === null || fen === undefined) return '';
  const negative = fen < 0;
  const abs = BigInt(Math.abs(Math.trunc(fen)));
  let whole: bigint;
  let frac: string;
  if (unit === 'yuan') {
    whole = abs / 100n;
    frac = (abs % 100n).toString().padStart(2, '0');
  } else if (options.exact) {
    whole = abs / 1_000_000n;
    frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  } else {
    const hundredths = (abs + 5_000n) / 10_000n; // 万元 to 2 decimals, half up
    whole = hundredths / 100n;
    frac = (hundredths % 100n).toString().padStart(2, '0');
  }
  const body = `${group(whole.toString())}${frac ? `.${frac}` : ''}`;
  return negative ? `-${body}` : body;
}

/** The value to put back into a form field in the given unit (no separators, exact). */
export function moneyInputValue(fen: number | null | undefined, unit: MoneyUnit): string {
  return formatMoney(fen, unit, { exact: true }).replace(/,/g, '');
}

export function isMoneyUnit(value: unknown): value is MoneyUnit {
  return value === 'yuan' || value === 'wan';
}
