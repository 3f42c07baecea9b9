import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { auditLog, funds, talents } from '../../db/schema/index.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { createPairing } from '../../server/pairings/pairings.service.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi, buildRecord } from '../support/factories.ts';
import { formFor } from '../support/forms.ts';
import { asUtf8, csvText, templateOf, textOf, uploadImport } from '../support/imports.ts';

const FIXED = () => new Date('2024-06-15T08:00:00Z');

async function world() {
  const { app, db } = buildApp(undefined, {}, FIXED);
  const js = buildJiangsuShaanxi(db);
  const jiangsu = await loginAs(app, await buildUser(db, { username: 'office.jiangsu', role: 'staff', regionCode: '320000' }));
  return { app, db, js, jiangsu };
}

const transfer = {
  year: '2024',
  date: '2024-03-01',
  kind: 'fiscal',
  form: 'money',
  committedFen: '50',
  committedFenUnit: 'wan',
  disbursedFen: '4000',
  disbursedFenUnit: 'wan',
  disbursedOn: '2024-03-20',
  purpose: '产业发展',
};

const auditOf = (db: ReturnType<typeof buildApp>['db'], entity: string) =>
  db.select().from(auditLog).where(eq(auditLog.entity, entity)).all();

describe('implausible values are saved only when the user says they are right', () => {
  it('when 江苏 disburses 4,000 万元 against a 50 万元 commitment, then a warning page shows the values and nothing is saved; "返回修改" brings the form back; "是的，数值无误，保存" saves it and the audit says so', async () => {
    const { db, js, jiangsu } = await world();
    const action = `/pairings/${js.county.id}/records/funds`;
    const token = await csrfFor(jiangsu, `${action}/new`);

    const warned = await jiangsu
      .post(action)
      .type('form')
      .send({ ...transfer, _csrf: token });
    expect(warned.status).to.equal(422);
    const text = textOf(warned.text);
    expect(text).to.contain('请确认数值');
    expect(text).to.contain('拨付金额 4,000.00 万元 高于承诺金额 50.00 万元。');
    expect(text).to.contain('4000 万元'); // the values as typed
    expect(text).to.contain('财政援助');
    expect(warned.text).to.contain('是的，数值无误，保存');
    expect(warned.text).to.contain('返回修改');
    expect(db.select().from(funds).all()).to.have.length(0);

    // back to the form with the values typed, still nothing saved
    const revise = formsWith(warned.text, action, 'reviseWarnings');
    const back = await jiangsu.post(action).type('form').send(revise);
    expect(back.status).to.equal(200);
    expect(back.text).to.contain('value="4000"');
    expect(back.text).to.contain('value="产业发展"');
    expect(db.select().from(funds).all()).to.have.length(0);

    // a post without the confirmation (the form sent again as it was) is warned again
    expect(
      (
        await jiangsu
          .post(action)
          .type('form')
          .send({ ...transfer, _csrf: token })
      ).status,
    ).to.equal(422);
    expect(db.select().from(funds).all()).to.have.length(0);

    // nor is a confirmation sent without the page: it must be the one the page gave for these warnings
    for (const forged of ['1', 'on', 'true'])
      expect(
        (
          await jiangsu
            .post(action)
            .type('form')
            .send({ ...transfer, _csrf: token, confirmWarnings: forged })
        ).status,
        forged,
      ).to.equal(422);
    expect(db.select().from(funds).all()).to.have.length(0);

    const confirm = formsWith(warned.text, action, 'confirmWarnings');
    const saved = await jiangsu.post(action).type('form').send(confirm);
    expect(saved.status).to.equal(302);
    const [row] = db.select().from(funds).all();
    expect(row).to.include({ committedFen: 50_000_000, disbursedFen: 4_000_000_000 });
    const [created] = auditOf(db, 'record.funds');
    expect(created).to.include({ action: 'create' });
    expect(created!.warnings).to.deep.equal(['disbursedAboveCommitted']);

    // an edit that leaves the amounts alone is not asked again; one that changes them is
    const edit = await jiangsu.get(`/records/funds/${row!.id}/edit`);
    const form = formFor(edit.text, `/records/funds/${row!.id}`)!;
    const notes = await jiangsu
      .post(form.action)
      .type('form')
      .send({ ...form.fields, notes: '已核对拨付凭证' });
    expect(notes.status).to.equal(302);
    const after = auditOf(db, 'record.funds');
    expect(after.at(-1)!.warnings).to.equal(null);
    const edit2 = formFor((await jiangsu.get(`/records/funds/${row!.id}/edit`)).text, form.action)!;
    const again = await jiangsu
      .post(form.action)
      .type('form')
      .send({ ...edit2.fields, disbursedFen: '5000' });
    expect(again.status).to.equal(422);
    expect(textOf(again.text)).to.contain('拨付金额 5,000.00 万元 高于承诺金额 50.00 万元');
    expect(db.select().from(funds).get()).to.include({ disbursedFen: 4_000_000_000 });
  });

  it('when a pair sent 2 cadres last year and 30 are typed this year, then the form warns; last year empty, it does not', async () => {
    const { db, js, jiangsu } = await world();
    buildRecord(db, 'talents', js.county.id, { year: 2023, date: '2023-03-01', startOn: '2023-03-01', people: 2 });
    const action = `/pairings/${js.county.id}/records/talents`;
    const token = await csrfFor(jiangsu, `${action}/new`);
    const cadres = (people: string, year = '2024') => ({
      year,
      date: `${year}-04-01`,
      kind: 'cadre',
      direction: 'to_west',
      people,
      startOn: `${year}-04-01`,
      _csrf: token,
    });
    const warned = await jiangsu.post(action).type('form').send(cadres('30'));
    expect(warned.status).to.equal(422);
    expect(textOf(warned.text)).to.contain('人数 30 超过本结对 2023 年同类合计（2 人）的 10 倍。');
    expect(db.select().from(talents).all()).to.have.length(1);
    expect((await jiangsu.post(action).type('form').send(cadres('20'))).status).to.equal(302); // 10× exactly: no warning
    expect((await jiangsu.post(action).type('form').send(cadres('300', '2022'))).status).to.equal(302); // 2021 had none
  });

  it('when a school pair-up is given 2 亿元, then the form warns; an import row of the same is refused with the warning', async () => {
    const { db, js, jiangsu } = await world();
    const school = createPairing(db, SYSTEM, {
      level: 'pairup',
      pairupKind: 'school',
      parentId: js.county.id,
      assistingCode: '320508',
      assistingUnit: '苏州一中',
      assistedCode: '610102',
      assistedUnit: '新城一中',
      startYear: 2022,
      status: 'active',
      outsideZones: false,
    });
    const action = `/pairings/${school.id}/records/funds`;
    const token = await csrfFor(jiangsu, `${action}/new`);
    const big = { ...transfer, committedFen: '20000', disbursedFen: '20000', _csrf: token };
    const warned = await jiangsu.post(action).type('form').send(big);
    expect(warned.status).to.equal(422);
    expect(textOf(warned.text)).to.contain('金额 20,000.00 万元 超过县以下结对的常见上限 10,000.00 万元。');
    expect(db.select().from(funds).all()).to.have.length(0);
    // the county pair itself may receive it without a word
    const county = await jiangsu.post(`/pairings/${js.county.id}/records/funds`).type('form').send(big);
    expect(county.status).to.equal(302);

    const tpl = await templateOf(jiangsu, 'funds');
    const row = (ref: string, committed: number, disbursed: number) =>
      tpl.row({
        pairing: school.id,
        year: 2024,
        date: '2024-05-01',
        kind: '财政援助',
        form: 'money',
        'committedFen:wan': committed,
        'disbursedFen:wan': disbursed,
        disbursedOn: '2024-05-02',
        purpose: '教学楼',
        ref,
      });
    const file = csvText([tpl.labels, tpl.keys, row('S-1', 50, 50), row('S-2', 20000, 20000), row('S-3', 50, 60)]);
    const dry = await uploadImport(jiangsu, 'funds', '学校.csv', asUtf8(file));
    const page = textOf(dry.text);
    expect(page).to.contain('金额 20,000.00 万元 超过县以下结对的常见上限 10,000.00 万元。导入时不能确认这样的数值');
    expect(page).to.contain('拨付金额 60.00 万元 高于承诺金额 50.00 万元。导入时不能确认这样的数值');
    expect(page).to.match(/新增\s*1/);
  });

  it('when the admin opens the warning rules, then the three rules are listed in Chinese, read-only, from the admin menu; an office cannot open them', async () => {
    const { app, db, jiangsu } = await world();
    const admin = await loginAs(app, await buildUser(db, { role: 'admin' }));
    const home = await admin.get('/');
    expect(home.text).to.contain('href="/admin/warnings"');
    const page = await admin.get('/admin/warnings');
    expect(page.status).to.equal(200);
    const text = textOf(page.text);
    expect(text).to.contain('拨付金额高于承诺金额');
    expect(text).to.contain('人数超过上年 10 倍');
    expect(text).to.contain('10,000.00 万元');
    expect(page.text).to.not.contain('action="/admin/warnings');
    expect((await jiangsu.get('/admin/warnings')).status).to.be.oneOf([403, 404]);
  });
});

/** The fields a warning page's button posts: the typed values again, with that button's own field. */
function formsWith(html: string, action: string, field: string): Record<string, string> {
  const forms = [...html.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/g)]
    .map((m) => m[0])
    .filter((f) => f.includes(`name="${field}"`));
  const form = formFor(forms[0] ?? '', action);
  if (!form) throw new Error(`no form with ${field}`);
  return form.fields;
}
