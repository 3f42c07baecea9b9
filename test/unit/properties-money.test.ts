import { expect } from 'chai';
import fc from 'fast-check';
import { schemaOf } from '../../server/lib/fields.ts';
import { MAX_FEN, formatMoney, moneyInputValue, parseMoney, type MoneyUnit } from '../../server/lib/money.ts';
import { parseInput } from '../../server/lib/validation.ts';

/**
 * Money as users meet it: integer fen inside, 元 or 万元 (with up to 2 or 6 decimals) outside.
 * Negatives are refused by the app (see parseMoney), so amounts run from 0 to MAX_FEN.
 */
const fenOf = (text: string, unit: MoneyUnit) => {
  const r = parseMoney(text, unit);
  return r.ok ? r.fen : r.error;
};

/** Amounts of every size: small ones (fen and cents matter), round ones, and up to the largest accepted. */
const amount = fc.oneof(
  fc.integer({ min: 0, max: 10_000 }),
  fc.integer({ min: 0, max: MAX_FEN }),
  fc.integer({ min: 0, max: 100_000 }).map((n) => n * 1_000_000), // whole 万元
  fc.tuple(fc.nat(100_000_000), fc.integer({ min: -2, max: 2 })).map(([n, d]) => n * 10_000 + 5_000 + d), // near a rounding edge of 万元
  fc.constantFrom(0, 1, 99, 100, 4_999, 5_000, 9_999, MAX_FEN - 1, MAX_FEN),
);
const unit = fc.constantFrom<MoneyUnit>('yuan', 'wan');

/** Full-width digits, point, comma and space, as a Chinese IME in full-width mode types them. */
const fullWidth = (s: string) =>
  s.replace(/[0-9.,]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');

/** Ways of typing an amount: separators as spaces or none at all, full width, padding, trailing zeros. */
const variant = fc.record({
  separator: fc.constantFrom(',', ' ', '', '\u00a0'), // the last: a no-break space, pasted from a page
  wide: fc.boolean(),
  pad: fc.constantFrom('', ' ', '  ', '\t', '\u3000'),
  zeros: fc.integer({ min: 0, max: 2 }),
});
function typed(shown: string, v: { separator: string; wide: boolean; pad: string; zeros: number }) {
  let text = shown.replace(/,/g, v.separator);
  if (v.zeros > 0) text = text.includes('.') ? text + '0'.repeat(v.zeros) : `${text}.${'0'.repeat(v.zeros)}`;
  if (v.wide) text = fullWidth(text);
  return `${v.pad}${text}${v.pad}`;
}

describe('properties: money', () => {
  it('when whole 元 or 万元 and their cents are typed, then they are stored as the fen they name (1 元 = 100, 1 万元 = 1,000,000)', () => {
    // an anchor outside the code: a round trip alone would pass a unit both formatted and parsed wrongly
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const decimals = String(cents).padStart(2, '0');
        expect(fenOf(`${whole}.${decimals}`, 'yuan')).to.equal(whole * 100 + cents);
        expect(fenOf(`${whole}.${decimals}`, 'wan')).to.equal(whole * 1_000_000 + cents * 10_000);
        expect(formatMoney(whole * 100 + cents, 'yuan')).to.equal(`${whole.toLocaleString('en-US')}.${decimals}`);
      }),
    );
  });

  it('when any amount is shown in 元 and read back, then it is the same number of fen', () => {
    fc.assert(fc.property(amount, (fen) => fenOf(formatMoney(fen, 'yuan'), 'yuan') === fen));
  });

  it('when any amount goes into a form field in either unit and is read back, then it is the same number of fen', () => {
    fc.assert(
      fc.property(amount, unit, (fen, u) => {
        expect(fenOf(moneyInputValue(fen, u), u)).to.equal(fen);
        expect(fenOf(formatMoney(fen, u, { exact: true }), u)).to.equal(fen);
      }),
    );
  });

  it('when a form is submitted with the value it was given, then the field parses back to the stored fen (both units)', () => {
    const schema = schemaOf([{ name: 'amountFen', type: 'money', required: true }]);
    fc.assert(
      fc.property(amount, unit, (fen, u) => {
        const out = parseInput(schema, { amountFen: moneyInputValue(fen, u), amountFenUnit: u });
        expect(out).to.deep.equal({ ok: true, data: { amountFen: fen } });
      }),
    );
  });

  it('when an amount is shown in 万元 (two decimals, half up) and read back, then it is the nearest 百元 of the amount', () => {
    fc.assert(
      fc.property(amount, (fen) => {
        const back = fenOf(formatMoney(fen, 'wan'), 'wan');
        // half up to the hundredth of 万元, i.e. to 10,000 fen
        expect(back).to.equal(Math.floor((fen + 5_000) / 10_000) * 10_000);
        expect(Math.abs((back as number) - fen)).to.be.at.most(5_000);
      }),
    );
  });

  it('when an amount is typed with spaces or no separators, in full width, padded or with trailing zeros, then it reads the same', () => {
    fc.assert(
      fc.property(amount, unit, variant, (fen, u, v) => {
        const text = typed(formatMoney(fen, u, { exact: true }), v);
        expect(fenOf(text, u), JSON.stringify(text)).to.equal(fen);
      }),
      { numRuns: 500 },
    );
  });

  it('when a negative amount or one above the largest accepted is typed, then it is refused, never stored', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_FEN }), unit, (fen, u) => {
        expect(fenOf(formatMoney(-fen, u, { exact: true }), u)).to.equal('negative');
        expect(fenOf(formatMoney(MAX_FEN + fen, u, { exact: true }), u)).to.equal('tooLarge');
      }),
    );
  });
});
