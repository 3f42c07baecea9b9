import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { formFor } from '../support/forms.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';

/** A user's optional email (where the daily digest is mailed when SMTP is set up), on the admin's user forms. */
describe('managing users: the optional email', () => {
  it('when an admin types a bad address, then the form comes back 422 with the message; a good one is saved, an empty one clears it', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { role: 'admin', username: 'root.admin' });
    const agent = await loginAs(app, admin);
    const token = await csrfFor(agent, '/admin/users/new');
    const fields = {
      _csrf: token,
      username: 'office.sichuan',
      displayName: '四川省协作办',
      role: 'staff',
      regionCode: '510000',
      password: 'a-long-enough-password',
      passwordConfirm: 'a-long-enough-password',
    };
    const bad = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...fields, email: 'sichuan at example' });
    expect(bad.status).to.equal(422);
    expect(bad.text).to.include('请填写有效的电子邮箱地址').and.include('value="sichuan at example"');
    expect(db.select().from(users).where(eq(users.username, 'office.sichuan')).get()).to.equal(undefined);

    const ok = await agent
      .post('/admin/users')
      .type('form')
      .send({ ...fields, email: ' sc@example.gov.cn ' });
    expect(ok.status).to.equal(302);
    const row = db.select().from(users).where(eq(users.username, 'office.sichuan')).get()!;
    expect(row.email).to.equal('sc@example.gov.cn');

    const edit = await agent.get(`/admin/users/${row.id}/edit`);
    const form = formFor(edit.text, `/admin/users/${row.id}`)!;
    expect(form.fields.email).to.equal('sc@example.gov.cn');
    expect(
      (
        await agent
          .post(`/admin/users/${row.id}`)
          .type('form')
          .send({ ...form.fields, email: '' })
      ).status,
    ).to.equal(302);
    expect(db.select().from(users).where(eq(users.id, row.id)).get()!.email).to.equal(null);
  });
});
