import { expect } from 'chai';
import { schemaOf } from '../../server/lib/fields.ts';
import { parseInput } from '../../server/lib/validation.ts';

describe('field rules: dates', () => {
  const schema = schemaOf([{ name: 'on', type: 'date', required: true }]);
  const accepted = (on: string) => parseInput(schema, { on }).ok;

  it('when a date exists in the calendar, then it is taken, leap days included', () => {
    for (const on of ['2024-02-29', '2000-02-29', '2024-12-31', '2023-01-01', '2024-04-30'])
      expect(accepted(on), on).to.equal(true);
  });

  it('when a date does not exist (a leap day of a common year, a 31st of a short month, month 13), then it is refused', () => {
    for (const on of [
      '2023-02-29',
      '1900-02-29',
      '2024-02-30',
      '2024-04-31',
      '2024-13-01',
      '2024-00-10',
      '2024-01-00',
      '2024-1-5',
    ])
      expect(accepted(on), on).to.equal(false);
  });
});
