import { expect } from 'chai';
import { chinaDay, chinaYear, daysUntil, yearFraction } from '../../server/lib/china-time.ts';

/**
 * Days are China's whatever the server's zone: the moments below are given in UTC, so the test
 * reads the same on a server in UTC and one in Beijing.
 */
describe('days and years in China', () => {
  it('when it is 1 January at 01:00 in Beijing (still 31 December in UTC), then it is the new year there', () => {
    const now = new Date('2025-12-31T17:00:00Z');
    expect(chinaDay(now)).to.equal('2026-01-01');
    expect(chinaYear(now)).to.equal(2026);
    expect(yearFraction(2025, now)).to.equal(1);
    expect(yearFraction(2026, now)).to.be.within(0, 0.001);
  });

  it('when a deadline is counted down, then its own day is 0 and the next day is past', () => {
    expect(daysUntil('2024-07-31', new Date('2024-07-01T02:00:00Z'))).to.equal(30);
    // 23:30 on the deadline day in Beijing, 15:30 UTC
    expect(daysUntil('2024-07-31', new Date('2024-07-31T15:30:00Z'))).to.equal(0);
    // 00:30 on 1 August in Beijing, still 31 July in UTC
    expect(daysUntil('2024-07-31', new Date('2024-07-31T16:30:00Z'))).to.equal(-1);
    // across a leap day
    expect(daysUntil('2024-03-01', new Date('2024-02-28T04:00:00Z'))).to.equal(2);
  });

  it('when half the year has gone in Beijing, then the pro-rata share is a half', () => {
    expect(yearFraction(2023, new Date('2023-07-02T04:00:00Z'))).to.be.closeTo(0.5, 0.002);
  });
});
