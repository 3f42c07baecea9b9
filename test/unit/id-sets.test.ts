import { expect } from 'chai';
import { idSetTable } from '../../server/lib/id-sets.ts';
import type { Actor } from '../../server/lib/actor.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { deleteRecord, getRecord, listRecords, updateRecord } from '../../server/records/records.service.ts';
import { buildDb } from '../support/app.ts';
import { buildJiangsuShaanxi, buildPairing, buildRecord } from '../support/factories.ts';

const rows = (db: ReturnType<typeof buildDb>, table: string) =>
  (db.$client.prepare(`SELECT id FROM temp.${table} ORDER BY id`).pluck().all() as number[]).join(',');

describe('pairing sets kept as tables of the connection', () => {
  it('when the same set is read again, then its table is reused; when the set is rebuilt, then the table holds the new ids', () => {
    const db = buildDb();
    const first = { key: 'scope:32', ids: [3, 1, 2] };
    const table = idSetTable(db, first)!;
    expect(rows(db, table)).to.equal('1,2,3');
    db.$client.exec(`INSERT INTO temp.${table} (id) VALUES (99)`); // would be wiped by a refill
    expect(idSetTable(db, first)).to.equal(table);
    expect(rows(db, table)).to.equal('1,2,3,99');
    expect(idSetTable(db, { key: 'scope:32', ids: [7] })).to.equal(table);
    expect(rows(db, table)).to.equal('7');
  });

  it('when more sets are asked than are kept, then the oldest table goes, and asking for it again builds it anew', () => {
    const db = buildDb();
    const sets = Array.from({ length: 101 }, (_, i) => ({ key: `k${i}`, ids: [i + 1] }));
    const first = idSetTable(db, sets[0]!)!;
    for (const s of sets.slice(1)) idSetTable(db, s);
    const exists = (name: string) =>
      db.$client.prepare('SELECT 1 FROM temp.sqlite_master WHERE name = ?').get(name) !== undefined;
    expect(exists(first)).to.equal(false);
    const again = idSetTable(db, sets[0]!)!;
    expect(again).to.not.equal(first);
    expect(rows(db, again)).to.equal('1');
  });

  it('when asked inside a transaction, then no table is made (a rollback would take it)', () => {
    const db = buildDb();
    const inside = db.$client.transaction(() => idSetTable(db, { key: 'x', ids: [1] }))();
    expect(inside).to.equal(null);
  });

  it('when a new pairing enters a staff member’s scope, then their record list shows its records at once', () => {
    const db = buildDb();
    const { county } = buildJiangsuShaanxi(db);
    buildRecord(db, 'funds', county.id, { ref: 'F-1' });
    const staff = { id: 1, role: 'staff', scope: '32', regionCode: '320000' } as unknown as Actor;
    expect(listRecords(db, staff, 'funds', {}).total).to.equal(1);
    const other = buildPairing(db, { level: 'county', assistingCode: '320506', assistedCode: '610103' });
    buildRecord(db, 'funds', other.id, { ref: 'F-2' });
    const after = listRecords(db, staff, 'funds', {});
    expect(after.total).to.equal(2);
    expect(after.items.map((i) => i.record.pairingId)).to.include(other.id);
  });

  it('when a listed record is edited or deleted, then the next view of the same page shows it as it now is', () => {
    const db = buildDb();
    const { county } = buildJiangsuShaanxi(db);
    const first = buildRecord(db, 'funds', county.id, { ref: 'F-1', purpose: '产业发展' });
    buildRecord(db, 'funds', county.id, { ref: 'F-2' });
    const staff = { id: 1, role: 'staff', scope: '32', regionCode: '320000' } as unknown as Actor;
    const purposeOf = () => listRecords(db, staff, 'funds', {}).items.find((i) => i.record.id === first.id)?.record.purpose;
    expect(purposeOf()).to.equal('产业发展');
    const { record } = getRecord(db, SYSTEM, 'funds', first.id);
    updateRecord(db, SYSTEM, 'funds', first.id, {
      ...(record as Record<string, unknown>),
      year: record.year,
      date: record.date,
      committedOn: record.date,
      purpose: '教育帮扶',
      version: record.version,
    } as never);
    expect(purposeOf()).to.equal('教育帮扶');
    deleteRecord(db, SYSTEM, 'funds', first.id, record.version + 1);
    expect(listRecords(db, staff, 'funds', {}).items.map((i) => i.record.id)).to.not.include(first.id);
  });
});
