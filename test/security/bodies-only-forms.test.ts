import { expect } from 'chai';
import { buildApp, buildUser, loginAs } from '../support/app.ts';

/**
 * The app reads web forms only (issue 8, item 7): a JSON, plain-text or stray multipart body is
 * answered 415 as a page in the app's look, before any CSRF or form handling — never read as an
 * empty form that then "succeeds" or fails somewhere else.
 */
describe('security: only form bodies are read', () => {
  it('when a JSON, text or multipart body is sent to a form route, then it answers 415 in Chinese and nothing is saved', async () => {
    const { app, db } = buildApp();
    const user = await buildUser(db, { role: 'admin', username: 'root' });
    const agent = await loginAs(app, user);
    const audit = () => (db.$client.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const before = audit();
    for (const [type, body] of [
      ['application/json', '{bad'],
      ['application/json', '{"zone":"east"}'],
      ['text/plain', 'zone=east'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="zone"\r\n\r\neast\r\n--x--\r\n'],
    ] as const) {
      const res = await agent.post('/regions/460000/zone').set('Content-Type', type).send(body);
      expect(res.status, type).to.equal(415);
      expect(res.text).to.contain('只接受网页表单');
      expect(res.text).to.not.match(/\bat [^\s]+ \(|node_modules|Error:/);
    }
    expect(audit()).to.equal(before);
  });

  it('when a JSON client sends JSON, then the 415 comes back as JSON', async () => {
    const { app } = buildApp();
    const res = await (
      await import('supertest')
    )
      .default(app)
      .post('/login')
      .set('Accept', 'application/json')
      .set('Content-Type', 'application/json')
      .send('{"username":"a"}');
    expect(res.status).to.equal(415);
    expect(res.body).to.have.nested.property('error.status', 415);
  });
});
