import { expect } from 'chai';
import { funds, users } from '../../db/schema/index.ts';
import { uniqueFieldError, uniqueViolation } from '../../server/lib/unique.ts';
import { buildDb } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

/** The error the database itself raises, caught. */
function caught(write: () => unknown): unknown {
  try {
    write();
  } catch (err) {
    return err;
  }
  throw new Error('the write did not fail');
}

describe('naming the field of a unique key the database refused', () => {
  it('when a username is inserted twice, then the field is username with the Chinese "taken" message', () => {
    const db = buildDb();
    const row = { username: 'same.name', displayName: 'x', passwordHash: 'x', role: 'admin' as const };
    db.insert(users).values(row).run();
    const v = uniqueViolation(caught(() => db.insert(users).values(row).run()));
    expect(v).to.deep.equal({ columns: ['username'] });
    expect(uniqueFieldError(v!, ['username', 'displayName'])).to.deep.equal({
      field: 'username',
      error: { key: 'validation.usernameTaken' },
    });
  });

  it('when a ledger number is used twice in one pairing, then the field is ref, not the pairing', () => {
    const db = buildDb();
    const { county } = buildJiangsuShaanxi(db);
    buildRecord(db, 'funds', county.id, { ref: 'JS-001' });
    const copy: Partial<typeof funds.$inferSelect> = { ...db.select().from(funds).get()! };
    delete copy.id;
    const v = uniqueViolation(
      caught(() =>
        db
          .insert(funds)
          .values(copy as typeof funds.$inferInsert)
          .run(),
      ),
    );
    expect(v?.columns).to.deep.equal(['pairingId', 'ref']);
    expect(uniqueFieldError(v!, ['year', 'ref', 'purpose'])).to.deep.equal({
      field: 'ref',
      error: { key: 'records.rule.refTaken' },
    });
  });

  it('when the index is over expressions, then its name gives the field; other errors are not unique violations', () => {
    const err = Object.assign(new Error("UNIQUE constraint failed: index 'funds_ref_uq'"), { code: 'SQLITE_CONSTRAINT_UNIQUE' });
    expect(uniqueViolation(new Error('wrapped', { cause: err }))).to.deep.equal({ columns: ['ref'] });
    const fk = Object.assign(new Error('FOREIGN KEY constraint failed'), { code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(uniqueViolation(fk)).to.equal(undefined);
    expect(uniqueViolation(new Error('boom'))).to.equal(undefined);
  });
});
