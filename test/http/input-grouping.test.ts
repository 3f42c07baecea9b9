import { expect } from 'chai';
import { funds, talents } from '../../db/schema/index.ts';
import { buildApp, buildUser, csrfFor, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { asUtf8, csvText, templateOf, textOf, uploadImport } from '../support/imports.ts';

const FIXED = () => new Date('2024-06-15T08:00:00Z');

const transfer = {
  year: '2024',
  date: '2024-03-01',
  kind: 'fiscal',
  form: 'money',
  committedFenUnit: 'yuan',
  purpose: '产业发展',
};

describe('numbers that mean what they say', () => {
  it('when 江苏 types 1,20.5 元 on a transfer, then nothing is saved and the field says what was typed and how to write it; 1,234.5 and 12,345,678 are saved', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const { county } = buildJiangsuShaanxi(db);
    const jiangsu = await loginAs(app, await buildUser(db, { role: 'staff', regionCode: '320000' }));
    const token = await csrfFor(jiangsu, `/pairings/${county.id}/records/funds/new`);
    const post = (committedFen: string) =>
      jiangsu
        .post(`/pairings/${county.id}/records/funds`)
        .type('form')
        .send({ ...transfer, committedFen, _csrf: token });

    const slip = await post('1,20.5');
    expect(slip.status).to.equal(422);
    expect(slip.text).to.contain('「1,20.5」的千位分隔不正确：逗号应每三位一组，如 1,234.5。若指 120.5，请填写 120.5。');
    expect(slip.text).to.contain('value="1,20.5"'); // what they typed stays in the box
    expect(db.select().from(funds).all()).to.have.length(0);

    expect((await post('１，２０．５')).status).to.equal(422); // full-width, same slip
    expect(db.select().from(funds).all()).to.have.length(0);

    expect((await post('1,234.5')).status).to.equal(302);
    expect((await post('12,345,678')).status).to.equal(302);
    expect((await post('１，２３４．５')).status).to.equal(302);
    const saved = db
      .select()
      .from(funds)
      .all()
      .map((r) => r.committedFen);
    expect(saved).to.deep.equal([123_450, 1_234_567_800, 123_450]);
  });

  it('when a head count is typed as 1,23 people, then it is refused the same way; 1,234 is read as 1234', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    const { county } = buildJiangsuShaanxi(db);
    const jiangsu = await loginAs(app, await buildUser(db, { role: 'staff', regionCode: '320000' }));
    const token = await csrfFor(jiangsu, `/pairings/${county.id}/records/talents/new`);
    const post = (people: string) =>
      jiangsu.post(`/pairings/${county.id}/records/talents`).type('form').send({
        year: '2024',
        date: '2024-03-01',
        kind: 'training',
        direction: 'to_west',
        people,
        trained: '1,000',
        _csrf: token,
      });
    const slip = await post('1,23');
    expect(slip.status).to.equal(422);
    expect(slip.text).to.contain('「1,23」的千位分隔不正确');
    expect((await post('1,234')).status).to.equal(302);
    expect(db.select().from(talents).get()).to.include({ people: 1234, trained: 1000 });
  });

  it('when an import holds 1,20.5 万元, then its dry run refuses that row with the same words and reads 1,234.5 in the next', async () => {
    const { app, db } = buildApp(undefined, {}, FIXED);
    buildJiangsuShaanxi(db);
    const jiangsu = await loginAs(app, await buildUser(db, { role: 'staff', regionCode: '320000' }));
    const tpl = await templateOf(jiangsu, 'funds');
    const row = (ref: string, amount: string) =>
      tpl.row({
        assisting: '320508',
        assisted: '610102',
        year: 2024,
        date: '2024-05-01',
        kind: '财政援助',
        form: 'money',
        'committedFen:wan': amount,
        purpose: '产业',
        ref,
      });
    const dry = await uploadImport(
      jiangsu,
      'funds',
      '资金.csv',
      asUtf8(csvText([tpl.labels, tpl.keys, row('G-1', '1,20.5'), row('G-2', '1,234.5')])),
    );
    const page = textOf(dry.text);
    expect(page).to.contain('「1,20.5」的千位分隔不正确：逗号应每三位一组，如 1,234.5。若指 120.5，请填写 120.5。');
    expect(page).to.contain('将新增 1 条');
    expect(page).to.contain('1 行有错误');
  });
});
