import { expect } from 'chai';
import { funds, users } from '../../db/schema/index.ts';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, FUND_FORM } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';

/**
 * A double-clicked form takes effect once (issue 8, item 6): each form that creates something
 * carries a one-time token; a repeat is sent where the first submit led, even while the first is
 * still running (an await inside it, e.g. hashing a password), and a form that came back with
 * errors can be corrected and sent again.
 */
async function world() {
  const { app, db } = buildApp(undefined, {}, () => new Date('2024-06-15T08:00:00Z'));
  const js = buildJiangsuShaanxi(db);
  const staff = await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' });
  const admin = await buildUser(db, { username: 'root', role: 'admin' });
  return { app, db, js, users: { jiangsu: staff, admin } };
}

const fundForm = FUND_FORM;

describe('a double-clicked form', () => {
  it('when the same form is sent twice at once, then one record is created and both answers lead to it', async () => {
    const { app, db, js, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const page = await jiangsu.get(`/pairings/${js.county.id}/records/funds/new`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const once = /name="_once" value="([^"]+)"/.exec(page.text)?.[1];
    expect(once, 'the form carries a one-time token').to.be.a('string');
    const send = () =>
      jiangsu
        .post(`/pairings/${js.county.id}/records/funds`)
        .type('form')
        .send({ ...fundForm, _csrf: token, _once: once });
    const [a, b] = await Promise.all([send(), send()]);
    expect(db.select().from(funds).all()).to.have.length(1);
    const id = db.select().from(funds).get()!.id;
    expect([a.status, b.status].every((s) => s === 302 || s === 303)).to.equal(true);
    expect(a.headers.location).to.equal(`/records/funds/${id}`);
    expect(b.headers.location).to.equal(`/records/funds/${id}`);
    const third = await send();
    expect(third.headers.location).to.equal(`/records/funds/${id}`);
    expect(db.select().from(funds).all()).to.have.length(1);
  });

  it('when a form comes back with errors, then correcting and sending it again works', async () => {
    const { app, db, js, users } = await world();
    const jiangsu = await loginAs(app, users.jiangsu);
    const page = await jiangsu.get(`/pairings/${js.county.id}/records/funds/new`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const once = /name="_once" value="([^"]+)"/.exec(page.text)![1]!;
    const url = `/pairings/${js.county.id}/records/funds`;
    const bad = await jiangsu
      .post(url)
      .type('form')
      .send({ ...fundForm, purpose: '', _csrf: token, _once: once });
    expect(bad.status).to.equal(422);
    const good = await jiangsu
      .post(url)
      .type('form')
      .send({ ...fundForm, _csrf: token, _once: once });
    expect(good.status).to.equal(302);
    expect(db.select().from(funds).all()).to.have.length(1);
  });

  it('when a new-user form is sent twice while the password is still being hashed, then one account is made and both go to it', async () => {
    const { app, db, users: u } = await world();
    const admin = await loginAs(app, u.admin);
    const page = await admin.get('/admin/users/new');
    const form = formFor(page.text, '/admin/users')!;
    const body = {
      ...form.fields,
      username: 'new.colleague',
      displayName: '新同事',
      role: 'liaison',
      regionCode: '610000',
      password: 'Lantern-quarry-2024',
      passwordConfirm: 'Lantern-quarry-2024',
    };
    const [a, b] = await Promise.all([
      admin.post('/admin/users').type('form').send(body),
      admin.post('/admin/users').type('form').send(body),
    ]);
    expect(
      db
        .select()
        .from(users)
        .all()
        .filter((x) => x.username === 'new.colleague'),
    ).to.have.length(1);
    expect([a.status, b.status].sort()).to.deep.equal([302, 303]);
    expect(a.headers.location).to.equal(b.headers.location);
  });

  it('when another user sends someone else’s token, then it is refused and nothing is made', async () => {
    const { app, db, js, users: u } = await world();
    const jiangsu = await loginAs(app, u.jiangsu);
    const page = await jiangsu.get(`/pairings/${js.county.id}/records/funds/new`);
    const form = formFor(page.text, `/pairings/${js.county.id}/records/funds`)!;
    const first = await jiangsu
      .post(form.action)
      .type('form')
      .send({ ...form.fields, ...fundForm });
    expect(first.status).to.equal(302);
    const other = await loginAs(app, await buildUser(db, { username: 'office.suzhou', role: 'staff', regionCode: '320500' }));
    const otherPage = await other.get(`/pairings/${js.county.id}/records/funds/new`);
    const csrf = formFor(otherPage.text, form.action)!.fields._csrf!;
    const stolen = await other
      .post(form.action)
      .type('form')
      .send({ ...fundForm, _csrf: csrf, _once: form.fields._once });
    expect(stolen.status).to.equal(409);
    expect(db.select().from(funds).all()).to.have.length(1);
  });
});
