import { expect } from 'chai';
import { buildApp, buildUser, csrfOf, loginAs } from '../support/app.ts';
import { unreadCount } from '../../server/notifications/notifications.service.ts';
import { updateUser } from '../../server/users/users.service.ts';
import { notifyOf } from './routes.support.ts';

/**
 * A user's notifications are its own: the list shows only them, and another user's id is a page
 * that does not exist (404), read or not; opening and marking all read need the CSRF token.
 */
describe('security: notifications are the user’s own', () => {
  it('when 江苏’s office names 陕西’s notification, then it answers 404 and the other notification stays unread', async () => {
    const { app, db } = buildApp();
    const jiangsu = await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' });
    const shaanxi = await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' });
    const own = notifyOf(db, jiangsu.id);
    const theirs = notifyOf(db, shaanxi.id);
    const agent = await loginAs(app, jiangsu);
    const list = await agent.get('/notifications');
    expect(list.text).to.include(`data-id="${own}"`).and.not.include(`data-id="${theirs}"`);
    const token = csrfOf(list.text);

    expect((await agent.post(`/notifications/${theirs}/open`).type('form').send({ _csrf: token })).status).to.equal(404);
    expect((await agent.post('/notifications/99999/open').type('form').send({ _csrf: token })).status).to.equal(404);
    expect((await agent.post(`/notifications/${theirs}/open`).type('form').send({})).status).to.equal(403);
    await agent.post('/notifications/read-all').type('form').send({ _csrf: token });
    const unread = db.$client.prepare('SELECT id FROM notifications WHERE read_at IS NULL').pluck().all();
    expect(unread).to.deep.equal([theirs]);
    // the own one opens
    expect((await agent.post(`/notifications/${own}/open`).type('form').send({ _csrf: token })).status).to.equal(303);
  });

  it('when an admin moves a user to another region, then its notifications (which may name pairings outside the new scope) go', async () => {
    const { db } = buildApp();
    const admin = await buildUser(db, { username: 'root', role: 'admin' });
    const jiangsu = await buildUser(db, { username: 'office.jiangsu', regionCode: '320000' });
    const shaanxi = await buildUser(db, { username: 'office.shaanxi', regionCode: '610000' });
    notifyOf(db, jiangsu.id);
    notifyOf(db, shaanxi.id);
    updateUser(db, admin.id, jiangsu.id, { displayName: '江苏', role: 'staff', regionCode: '320000', version: 1 }, new Date());
    expect(unreadCount(db, jiangsu.id)).to.equal(1); // same region and role: kept
    updateUser(db, admin.id, jiangsu.id, { displayName: '江苏', role: 'staff', regionCode: '330000', version: 2 }, new Date());
    expect(unreadCount(db, jiangsu.id)).to.equal(0);
    expect(unreadCount(db, shaanxi.id)).to.equal(1);
  });
});
