import { expect } from 'chai';
import { schemaOf } from '../../server/lib/fields.ts';
import { formatMoney, moneyInputValue, parseMoney } from '../../server/lib/money.ts';
import { parseInput } from '../../server/lib/validation.ts';
import { translator } from '../../server/lib/i18n.ts';

const fen = (input: string, unit: 'yuan' | 'wan' = 'yuan') => {
  const r = parseMoney(input, unit);
  if (!r.ok) throw new Error(`${input}: ${r.error}`);
  return r.fen;
};

describe('money', () => {
  it('when 元 amounts are typed with separators and decimals, then they become exact fen', () => {
    expect(fen('12,345.67')).to.equal(1_234_567);
    expect(fen('12345')).to.equal(1_234_500);
    expect(fen(' 1 234.5 ')).to.equal(123_450);
    expect(fen('0.01')).to.equal(1);
    expect(fen('１２３．４５')).to.equal(12_345); // full-width digits from a Chinese IME
  });

  it('when 0.1 元 and 0.2 元 are added, then the total is 30 分 with no float error', () => {
    expect(fen('0.1') + fen('0.2')).to.equal(30);
    expect(0.1 + 0.2).to.not.equal(0.3); // the float trap this module avoids
  });

  it('when 万元 are typed, then they scale by 1,000,000 fen and may carry up to 6 decimals', () => {
    expect(fen('5187', 'wan')).to.equal(5_187_000_000); // 5,187万元 = 51,870,000 元
    expect(fen('1.5', 'wan')).to.equal(1_500_000);
    expect(fen('0.000001', 'wan')).to.equal(1);
    expect(fen('231900', 'wan')).to.equal(231_900 * 1_000_000); // 23.19 亿元
  });

  it('when an amount is negative, too precise, too large or not a number, then it is refused with a reason', () => {
    expect(parseMoney('-5')).to.deep.equal({ ok: false, error: 'negative' });
    expect(parseMoney('1.234')).to.deep.equal({ ok: false, error: 'tooPrecise' });
    expect(parseMoney('0.0000001', 'wan')).to.deep.equal({ ok: false, error: 'tooPrecise' });
    expect(parseMoney('1e5')).to.deep.equal({ ok: false, error: 'invalid' });
    expect(parseMoney('12.3.4')).to.deep.equal({ ok: false, error: 'invalid' });
    expect(parseMoney('abc')).to.deep.equal({ ok: false, error: 'invalid' });
    expect(parseMoney('')).to.deep.equal({ ok: false, error: 'invalid' });
    expect(parseMoney('99999999999999999')).to.deep.equal({ ok: false, error: 'tooLarge' });
    expect(fen('1.230')).to.equal(123); // trailing zeros are not extra precision
  });

  it('when fen are formatted, then 元 show 2 decimals with separators and 万元 round half up', () => {
    expect(formatMoney(1_234_567)).to.equal('12,345.67');
    expect(formatMoney(5)).to.equal('0.05');
    expect(formatMoney(5_187_000_000, 'wan')).to.equal('5,187.00');
    expect(formatMoney(1_234_567, 'wan')).to.equal('1.23');
    expect(formatMoney(1_235_000, 'wan')).to.equal('1.24');
    expect(formatMoney(null)).to.equal('');
  });

  it('when an amount goes out to a form and back, then it round-trips in either unit', () => {
    for (const value of [0, 1, 30, 99, 1_234_567, 5_187_000_001, 987_654_321_012]) {
      expect(fen(formatMoney(value))).to.equal(value);
      expect(fen(moneyInputValue(value, 'wan'), 'wan')).to.equal(value);
      expect(fen(moneyInputValue(value, 'yuan'))).to.equal(value);
    }
  });

  it('when thousands separators stand every three digits, then the amount is read; when they stand elsewhere, then it is refused with what it would have meant', () => {
    expect(fen('1,234.5')).to.equal(123_450);
    expect(fen('12,345,678')).to.equal(1_234_567_800);
    expect(fen('１，２３４．５')).to.equal(123_450); // full-width comma and digits
    expect(fen('1 234 567')).to.equal(123_456_700);
    expect(fen('１　２３４')).to.equal(123_400); // a full-width space from the IME groups like a space
    expect(fen('1\u00a0234')).to.equal(123_400); // a no-break space pasted from a page
    expect(fen('1234.5')).to.equal(123_450);
    expect(parseMoney('1,20.5')).to.deep.equal({ ok: false, error: 'grouping', plain: '120.5' });
    expect(parseMoney('12,34,567')).to.deep.equal({ ok: false, error: 'grouping', plain: '1234567' });
    expect(parseMoney('1234,567')).to.deep.equal({ ok: false, error: 'grouping', plain: '1234567' });
    expect(parseMoney('1,234.567,8')).to.deep.equal({ ok: false, error: 'grouping', plain: '1234.5678' });
    expect(parseMoney('１，２０．５')).to.deep.equal({ ok: false, error: 'grouping', plain: '120.5' });
    // a leading 0 before a comma is a decimal comma more often than a grouping; separators are not mixed
    expect(parseMoney('0,123', 'wan')).to.deep.equal({ ok: false, error: 'grouping', plain: '0123' });
    expect(parseMoney('00,123')).to.deep.equal({ ok: false, error: 'grouping', plain: '00123' });
    expect(parseMoney('1,234 567')).to.deep.equal({ ok: false, error: 'grouping', plain: '1234567' });
    expect(parseMoney('1 234 567')).to.deep.equal({ ok: true, fen: 123456700 });
    expect(parseMoney('1,2x')).to.deep.equal({ ok: false, error: 'invalid' });
  });

  it('when a form holds a misgrouped amount or head count, then its field says what was typed and how to write it, in either language', () => {
    const schema = schemaOf([
      { name: 'amountFen', type: 'money', required: true },
      { name: 'people', type: 'int', min: 1, required: true },
    ]);
    const good = parseInput(schema, { amountFen: '1,234.5', amountFenUnit: 'wan', people: '1,234' });
    expect(good).to.deep.equal({ ok: true, data: { amountFen: 1_234_500_000, people: 1234 } });
    const bad = parseInput(schema, { amountFen: '1,20.5', amountFenUnit: 'yuan', people: '1,23' });
    if (bad.ok) throw new Error('accepted');
    const zh = translator('zh-CN');
    const amount = bad.errors.amountFen!;
    expect(zh(amount.key, amount.params)).to.equal(
      '「1,20.5」的千位分隔不正确：逗号应每三位一组，如 1,234.5。若指 120.5，请填写 120.5。',
    );
    const people = bad.errors.people!;
    expect(zh(people.key, people.params)).to.contain('「1,23」的千位分隔不正确');
    expect(translator('en')(amount.key, amount.params)).to.contain('“1,20.5” has its thousands separators in the wrong place');
  });
});
