import { expect } from 'chai';
import { eq, sql } from 'drizzle-orm';
import { auditLog, funds, pairings, users } from '../../db/schema/index.ts';
import { remember } from '../../server/lib/data-version.ts';
import { allRows, preparedFor } from '../../server/lib/prepared.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { updatePairing } from '../../server/pairings/pairings.service.ts';
import { buildDb } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/**
 * What issue 9 took out of every request: statements compiled once per connection, queries built
 * once, rows read without drizzle's per-cell checks, results kept until the data they depend on
 * changes. Each must give exactly what the slow way gave.
 */
describe('per-request work done once', () => {
  it('when the same SQL is prepared twice, then the compiled statement is reused, in the default row mode whatever its last user set', () => {
    const c = buildDb().$client;
    const text = 'SELECT code, name FROM regions ORDER BY code LIMIT 2';
    const first = c.prepare(text);
    expect(first.raw(true).get()).to.be.an('array');
    const second = c.prepare(text);
    expect(second).to.equal(first);
    expect(second.get()).to.have.keys('code', 'name');
    expect(c.prepare(text).pluck(true).get()).to.be.a('string');
    expect(c.prepare(text).get()).to.have.keys('code', 'name');
  });

  it('when a statement is still being iterated, then preparing its text gives a fresh one that runs', () => {
    const c = buildDb().$client;
    const text = 'SELECT code FROM regions ORDER BY code LIMIT 3';
    const outer = c.prepare(text);
    const seen: unknown[] = [];
    for (const row of outer.iterate()) {
      const inner = c.prepare(text);
      expect(inner).to.not.equal(outer);
      seen.push(row);
      break;
    }
    expect(seen).to.have.length(1);
    expect(c.prepare(text).all()).to.have.length(3);
  });

  it('when a prepared query is asked with different shapes, then each shape is built once per connection', () => {
    const db = buildDb();
    let builds = 0;
    const byShape = preparedFor((handle, table: object, scoped: boolean) => ({ n: ++builds, table, scoped, handle }));
    const a = byShape(db, funds, true);
    expect(byShape(db, funds, true)).to.equal(a);
    expect(byShape(db, funds, false)).to.not.equal(a);
    expect(byShape(db, pairings, true)).to.not.equal(a);
    expect(byShape(buildDb(), funds, true)).to.not.equal(a);
    expect(builds).to.equal(4);
  });

  it('when rows are read by allRows, then they equal drizzle’s own: nested objects, dates, booleans and JSON decoded', () => {
    const db = buildDb();
    const { county } = buildJiangsuShaanxi(db);
    for (let i = 0; i < 3; i++) buildRecord(db, 'funds', county.id, { ref: `F-${i}` });
    const joined = db
      .select({ record: funds, pairing: { level: pairings.level, outside: pairings.outsideZones, start: pairings.startYear } })
      .from(funds)
      .innerJoin(pairings, eq(pairings.id, funds.pairingId))
      .where(eq(funds.pairingId, sql.placeholder('id')))
      .prepare();
    const fast = allRows(joined, { id: county.id });
    expect(fast).to.have.length(3);
    expect(fast).to.deep.equal(joined.all({ id: county.id }));
    expect(fast[0]!.record.createdAt).to.be.instanceOf(Date);
    expect(fast[0]!.pairing.outside).to.equal(false);

    const audit = db.select({ before: auditLog.before, after: auditLog.after, at: auditLog.at }).from(auditLog).prepare();
    const history = allRows(audit);
    expect(history.length).to.be.above(0);
    expect(history).to.deep.equal(audit.all());
    expect(history.some((r) => typeof r.after === 'object' && r.after !== null)).to.equal(true);
  });

  it('when a query has an outer join, then allRows leaves the reading to drizzle (the missing side is null, not an empty object)', () => {
    const db = buildDb();
    buildJiangsuShaanxi(db);
    const outer = db
      .select({ id: auditLog.id, actor: users })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .prepare();
    const rows = allRows(outer);
    expect(rows.length).to.be.above(0);
    expect(rows.every((r) => r.actor === null)).to.equal(true);
  });

  it('when a record changes, then results kept on the data are recomputed and results kept on the structure are not; a pairing change drops both', () => {
    const db = buildDb();
    const { province, county } = buildJiangsuShaanxi(db);
    const computed = { data: 0, structure: 0, structurePages: 0 };
    const ask = () => ({
      data: remember(db, 'test.data', () => ++computed.data),
      structure: remember(db, 'test.structure', () => ++computed.structure, 'structure'),
      structurePages: remember(db, 'test.structurePages', () => ++computed.structurePages, 'structurePages'),
    });
    ask();
    ask();
    expect(computed).to.deep.equal({ data: 1, structure: 1, structurePages: 1 });
    buildRecord(db, 'funds', county.id);
    ask();
    expect(computed).to.deep.equal({ data: 2, structure: 1, structurePages: 1 });
    const p = db.select().from(pairings).where(eq(pairings.id, province.id)).get()!;
    updatePairing(db, SYSTEM, province.id, {
      level: p.level,
      assistingCode: p.assistingCode,
      assistedCode: p.assistedCode,
      startYear: p.startYear,
      status: p.status,
      outsideZones: p.outsideZones,
      notes: '改了备注',
      version: p.version,
    } as never);
    ask();
    expect(computed).to.deep.equal({ data: 3, structure: 2, structurePages: 2 });
  });
});
