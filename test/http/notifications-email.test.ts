import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { updateUser } from '../../server/users/users.service.ts';
import { formFor } from '../support/forms.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';

/**
 * Where the digest is mailed stays put: editing a user without the email field (the command line,
 * a service call, a form without it) leaves the address; only an empty field submitted clears it.
 */
describe('the digest’s address when a user is edited', () => {
  it('when an edit leaves the email out, then the address stays; when it sends it empty, then it is cleared', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { role: 'admin', username: 'root.admin' });
    const user = await buildUser(db, { username: 'office.sichuan', regionCode: '510000' });
    const emailOf = () => db.select().from(users).where(eq(users.id, user.id)).get()!.email;
    db.update(users).set({ email: 'sc@example.gov.cn' }).where(eq(users.id, user.id)).run();

    updateUser(db, admin.id, user.id, { displayName: '四川', role: 'staff', regionCode: '510000', version: 1 }, new Date());
    expect(emailOf()).to.equal('sc@example.gov.cn');

    const agent = await loginAs(app, admin);
    const form = formFor((await agent.get(`/admin/users/${user.id}/edit`)).text, `/admin/users/${user.id}`)!;
    const { email, ...without } = form.fields;
    expect(email).to.equal('sc@example.gov.cn');
    expect((await agent.post(`/admin/users/${user.id}`).type('form').send(without)).status).to.equal(302);
    expect(emailOf()).to.equal('sc@example.gov.cn');

    const again = formFor((await agent.get(`/admin/users/${user.id}/edit`)).text, `/admin/users/${user.id}`)!;
    expect(
      (
        await agent
          .post(`/admin/users/${user.id}`)
          .type('form')
          .send({ ...again.fields, email: ' ' })
      ).status,
    ).to.equal(302);
    expect(emailOf()).to.equal(null);
  });
});
