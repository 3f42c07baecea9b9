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

export type MoneyParse =
  | { ok: true; fen: number }
  | { ok: false; error: 'invalid' | 'negative' | 'tooPrecise' | 'tooLarge' }
  | { ok: false; error: 'grouping'; plain: string };

const FULL_WIDTH = /[０-９．，－]/g;
/** The ideographic space (an IME in full-width mode) and the no-break space (pasted from a page) as a plain space. */
const WIDE_SPACE = /[\u3000\u00a0]/g;
const toHalfWidth = (s: string) =>
  s.replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(WIDE_SPACE, ' ');

/**
 * A whole part written with separators: one to three digits not starting with 0 ("0,123" is more
 * likely a decimal comma than a thousand-separated 123), then groups of exactly three, all joined
 * by the same separator (commas, or spaces: "1,234 567" is refused).
 */
const GROUPED = /^-?[1-9]\d{0,2}(?:(?:,\d{3})+|(?: \d{3})+)$/;

/**
 * A number as typed, made plain: full-width digits, point, comma and space (a Chinese IME) to ASCII, and
 * thousands separators (commas or spaces) removed — but only where they stand every three digits
 * before the point. "1,20.5" is refused, never read as 120.5: a separator out of place is more
 * often a slip ("1,205"? "12.05"?) than a grouping, and guessing would store a figure no one typed.
 * `plain` is what the text would read as without its separators, for the message.
 */
export function plainNumber(input: string): { ok: true; text: string } | { ok: false; plain: string } {
  const text = toHalfWidth(input.trim());
  if (!/[,\s]/.test(text)) return { ok: true, text };
  const plain = text.replace(/[,\s]/g, '');
  const point = text.indexOf('.');
  const whole = point < 0 ? text : text.slice(0, point);
  const frac = point < 0 ? '' : text.slice(point);
  if (!GROUPED.test(whole) || /[,\s]/.test(frac)) return { ok: false, plain };
  return { ok: true, text: plain };
}

/**
 * Parses what a user typed: "12,345.67", "12345", "１２３．５", "1 234" (separators in groups of
 * three, see plainNumber). Refuses negatives, more decimals than the unit allows (元: 2, 万元: 6),
 * separators out of place, and anything that is not a plain decimal number.
 */
export function parseMoney(input: string, unit: MoneyUnit = 'yuan'): MoneyParse {
  const plain = plainNumber(input);
  if (!plain.ok)
    return /^-?\d+(\.\d+)?$/.test(plain.plain)
      ? { ok: false, error: 'grouping', plain: plain.plain }
      : { ok: false, error: 'invalid' };
  const text = plain.text;
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
