import { expect } from 'chai';
import { buildApp, buildUser, loginAs } from '../support/app.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { deleteRecord } from '../../server/records/records.service.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';

const FIXED = () => new Date('2024-06-15T08:00:00Z');
const KINDS = ['funds', 'talents', 'projects', 'labour', 'consumption'] as const;

/** Each control of a form (input, select, textarea) with its label's text, as a screen reader meets it. */
function controlsOf(html: string) {
  const labels = new Map<string, string>();
  for (const m of html.matchAll(/<label for="([^"]+)">([\s\S]*?)<\/label>/g)) labels.set(m[1]!, m[2]!);
  return [...html.matchAll(/<(input|select|textarea)\b([^>]*)>/g)].map((m) => {
    const tag = m[2]!;
    const id = /\sid="([^"]+)"/.exec(tag)?.[1];
    return { kind: m[1]!, tag, name: /\sname="([^"]+)"/.exec(tag)?.[1] ?? '', label: id ? (labels.get(id) ?? '') : '' };
  });
}

/** Table headers with no text a screen reader would read (an icon or a sign alone counts as none). */
function emptyHeaders(html: string): string[] {
  return [...html.matchAll(/<th\b[^>]*>([\s\S]*?)<\/th>/g)]
    .map((m) => m[1]!)
    .filter((inner) => {
      const read = inner.replace(/<span aria-hidden="true">[\s\S]*?<\/span>/g, '').replace(/<[^>]*>/g, '');
      return !/[\p{L}\p{N}]/u.test(read);
    });
}

async function world() {
  const { app, db } = buildApp(undefined, {}, FIXED);
  const js = buildJiangsuShaanxi(db);
  const office = await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' });
  const admin = await buildUser(db, { username: 'root.admin', role: 'admin' });
  return { app, db, js, office, admin };
}

describe('forms every user can operate', () => {
  it('when an office opens the form of each record kind, then every field marked * is required for assistive technology too, and no number or date has a maxlength', async () => {
    const { app, js, office } = await world();
    const agent = await loginAs(app, office);
    for (const kind of KINDS) {
      const res = await agent.get(`/pairings/${js.county.id}/records/${kind}/new`);
      expect(res.status, kind).to.equal(200);
      const controls = controlsOf(res.text).filter((c) => c.label.includes('class="req"'));
      expect(controls.length, `${kind}: required fields`).to.be.greaterThan(1);
      for (const c of controls) {
        expect(c.tag, `${kind}.${c.name}`).to.match(/\srequired[\s>]/);
        expect(c.tag, `${kind}.${c.name}`).to.contain('aria-required="true"');
      }
      for (const c of controlsOf(res.text).filter((x) => /inputmode="(numeric|decimal)"|type="(date|number)"/.test(x.tag))) {
        expect(c.tag, `${kind}.${c.name}`).not.to.contain('maxlength');
      }
    }
  });

  it('when the other forms are opened (users, pairings, an admin’s record form, comments, imports, passwords), then every field marked * or required says so to assistive technology', async () => {
    const { app, db, js, office, admin } = await world();
    const shaanxi = await buildUser(db, { username: 'office.shaanxi', role: 'staff', regionCode: '610000' });
    const transfer = buildRecord(db, 'funds', js.county.id);
    const agents = { admin: await loginAs(app, admin), office: await loginAs(app, office), shaanxi: await loginAs(app, shaanxi) };
    const pages: [keyof typeof agents, string][] = [
      ['admin', '/admin/users/new'],
      ['admin', '/pairings/new'],
      ['admin', `/pairings/${js.county.id}/records/funds/new`],
      ['shaanxi', `/records/funds/${transfer.id}`],
      ['office', '/imports/new'],
      ['office', '/account/password'],
    ];
    for (const [who, path] of pages) {
      const res = await agents[who].get(path);
      expect(res.status, path).to.equal(200);
      const controls = controlsOf(res.text);
      const marked = controls.filter((c) => c.label.includes('class="req"'));
      for (const c of marked) expect(c.tag, `${path} ${c.name}`).to.match(/\srequired[\s>]/);
      for (const c of controls.filter((x) => /\srequired[\s>]/.test(x.tag)))
        expect(c.tag, `${path} ${c.name}`).to.contain('aria-required="true"');
    }
  });

  it('when a transfer form shows two unit selects, then each is named by the amount it belongs to', async () => {
    const { app, js, office } = await world();
    const agent = await loginAs(app, office);
    const res = await agent.get(`/pairings/${js.county.id}/records/funds/new`);
    const units = [...res.text.matchAll(/<select name="(\w+)Unit" aria-label="([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(units).to.deep.include(['committedFen', '协议/承诺金额的单位']);
    expect(units).to.deep.include(['disbursedFen', '已拨付金额的单位']);
    expect(new Set(units.map((u) => u[1])).size).to.equal(units.length);
  });

  it('when pages with tables are read, then no column header is empty or a bare sign', async () => {
    const { app, db, js, office, admin } = await world();
    const gone = buildRecord(db, 'funds', js.county.id);
    const officeAgent = await loginAs(app, office);
    const adminAgent = await loginAs(app, admin);
    deleteRecord(db, SYSTEM, 'funds', gone.id, gone.version);
    const page = await adminAgent.get('/admin/deleted');
    expect(page.text).to.contain(`/records/funds/${gone.id}`);
    const pages: [typeof adminAgent, string][] = [
      [adminAgent, '/admin/deleted'],
      [adminAgent, '/assessment'],
      [officeAgent, '/imports'],
      [officeAgent, `/pairings/${js.county.id}`],
      [officeAgent, '/records/funds'],
      [adminAgent, '/admin/users'],
    ];
    for (const [agent, path] of pages) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(200);
      expect(emptyHeaders(res.text), path).to.deep.equal([]);
    }
  });

  it('when an admin searches users for "_" or "%", then only names holding that sign are found, not every user', async () => {
    const { app, db, admin } = await world();
    await buildUser(db, { username: 'office_sichuan', role: 'staff', regionCode: '510000' });
    await buildUser(db, { username: 'office.yunnan', role: 'staff', regionCode: '530000' });
    const agent = await loginAs(app, admin);
    const underscore = await agent.get('/admin/users?q=_');
    expect(underscore.text).to.contain('office_sichuan');
    expect(underscore.text).not.to.contain('office.yunnan');
    expect(underscore.text).not.to.contain('office.jiangsu');
    const percent = await agent.get('/admin/users?q=%25');
    expect(percent.text).not.to.contain('office.yunnan');
    const plain = await agent.get('/admin/users?q=yunnan');
    expect(plain.text).to.contain('office.yunnan');
  });
});
