import { expect } from 'chai';
import { users } from '../../db/schema/index.ts';
import { verifyLogin } from '../../server/auth/auth.service.ts';
import { seedDemo } from '../../server/demo/demo.seed.ts';
import { buildDb } from '../support/app.ts';

describe('demo mode', () => {
  it('when a fresh database is seeded, then the six named demo accounts exist with their roles and regions', async () => {
    const db = buildDb();
    const seeded = await seedDemo(db, 'demo-pass-123');
    expect(seeded?.password).to.equal('demo-pass-123');
    const rows = db
      .select({ username: users.username, role: users.role, regionCode: users.regionCode })
      .from(users)
      .orderBy(users.id)
      .all();
    expect(rows).to.deep.equal([
      { username: 'admin', role: 'admin', regionCode: null },
      { username: 'office.jiangsu', role: 'staff', regionCode: '320000' },
      { username: 'office.shaanxi', role: 'staff', regionCode: '610000' },
      { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' },
      { username: 'liaison.guizhou', role: 'liaison', regionCode: '520000' },
      { username: 'evaluator', role: 'evaluator', regionCode: null },
    ]);
    expect(await verifyLogin(db, 'office.jiangsu', 'demo-pass-123')).to.include({ username: 'office.jiangsu', scope: '32' });
  });

  it('when no password is given, then a random one is made; and a database with users is left alone', async () => {
    const db = buildDb();
    const first = await seedDemo(db);
    expect(first?.password).to.have.length.greaterThan(10);
    expect(await verifyLogin(db, 'admin', first!.password)).to.not.equal(null);
    expect(await seedDemo(db, 'another-one')).to.equal(null);
    expect(await verifyLogin(db, 'admin', 'another-one')).to.equal(null);
  });
});
