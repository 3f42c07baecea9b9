import { expect } from 'chai';
import { memoryVerdict, soakPassed, spread, Tally, type RssSample, type SoakRun } from '../../scripts/bench-soak-report.ts';

/** A sample every 10 s for `minutes`, the server's RSS given by minute. */
const samples = (minutes: number, rssAt: (minute: number) => number): RssSample[] =>
  Array.from({ length: minutes * 6 + 1 }, (_, i) => ({ at: i * 10, server: rssAt(i / 6), others: 0 }));

const runOf = (tally: Tally, minutes: number): SoakRun => ({
  tally,
  minutes,
  connections: 12,
  writers: 2,
  thinkMs: 1000,
  pdfEveryS: 30,
  importEveryS: 180,
  importRows: 40,
  args: '--soak',
  dataset: '',
  memory: memoryVerdict(tally.rss, minutes),
});

describe('npm run bench -- --soak: the verdicts', () => {
  it('when the RSS climbs during the warm-up and then stays flat, then the memory target is met', () => {
    const m = memoryVerdict(
      samples(30, (x) => (x < 5 ? 150 + x * 20 : 250 + (x % 2))),
      30,
    )!;
    expect(m.warmup).to.equal(5);
    expect(m.reference).to.be.closeTo(250.5, 1);
    expect(m.growth).to.be.lessThan(0.01);
    expect(m.ok).to.equal(true);
  });

  it('when the RSS keeps growing after the warm-up, 15% by the end, then the memory target is missed and the soak fails', () => {
    const tally = new Tally(30);
    tally.rss.push(...samples(30, (x) => (x < 5 ? 200 : 200 + (x - 5) * 1.4)));
    const run = runOf(tally, 30);
    expect(run.memory!.growth).to.be.greaterThan(0.1);
    expect(run.memory!.ok).to.equal(false);
    expect(soakPassed(run)).to.equal(false);
  });

  it('when a shortened run of 4 minutes is judged, then its warm-up and final window are a minute each', () => {
    const m = memoryVerdict(
      samples(4, (x) => (x < 1 ? 100 : x < 3 ? 200 : 215)),
      4,
    )!;
    expect(m.warmup).to.equal(1);
    expect([m.reference, m.final]).to.deep.equal([200, 215]);
    expect(m.ok).to.equal(true);
  });

  it('when a short run (CI’s 3 minutes) grows, then memory is shown as not met but does not fail it; an error still does', () => {
    const tally = new Tally(3);
    tally.rss.push(...samples(3, (x) => (x < 1.5 ? 200 : 260)));
    const run = runOf(tally, 3);
    expect(run.memory!.ok).to.equal(false);
    expect(soakPassed(run)).to.equal(true);
    tally.fail('read', 'x answered 500');
    expect(soakPassed(run)).to.equal(false);
  });

  it('when one answer of thousands is an error, then the soak fails even with flat memory, and the error is told', () => {
    const tally = new Tally(4);
    tally.rss.push(...samples(4, () => 200));
    for (let i = 0; i < 2000; i++) tally.record('read', 5);
    expect(soakPassed(runOf(tally, 4))).to.equal(true);
    tally.record('save', 40, 'POST /records/funds/1 answered 500');
    expect(soakPassed(runOf(tally, 4))).to.equal(false);
    expect(spread(tally.kinds.get('save')!)).to.include({ requests: 1, errors: 1 });
    expect(tally.details[0]).to.contain('save: POST /records/funds/1 answered 500');
  });

  it('when no RSS could be read, then the memory target is not met (the soak cannot claim flat memory)', () => {
    const tally = new Tally(4);
    tally.rss.push(...samples(4, () => 200).map((s) => ({ ...s, server: null })));
    expect(runOf(tally, 4).memory).to.equal(null);
    expect(soakPassed(runOf(tally, 4))).to.equal(false);
  });
});
