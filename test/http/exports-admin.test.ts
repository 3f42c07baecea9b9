import { expect } from 'chai';
import { auditLog } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { PASSWORD, buildApp, buildUser, loginAs } from '../support/app.ts';
import { buildJiangsuShaanxi } from '../support/factories.ts';
import { asUtf8, csvText, download, fundRow, firstSheetRows, templateOf, uploadImport } from '../support/imports.ts';

/** The lines of a CSV download, without its BOM. */
const linesOf = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');

describe('exports: the user list and the import history', () => {
  it('when the admin exports the user list, then it holds the accounts the filter shows with role, region name and status; nobody else may', async () => {
    const { app, db } = buildApp();
    const admin = await buildUser(db, { username: 'admin.root', role: 'admin' });
    await buildUser(db, { username: 'office.jiangsu' });
    await buildUser(db, { username: 'liaison.shaanxi', role: 'liaison', regionCode: '610000' });
    const asAdmin = await loginAs(app, admin);
    const all = linesOf((await asAdmin.get('/admin/users/export/csv')).text);
    expect(all[0]).to.equal('用户名,姓名,角色,管辖范围,地区代码,状态');
    expect(all).to.include('office.jiangsu,测试 office.jiangsu,协作办工作人员,江苏省,320000,启用');
    expect(all).to.have.length(4);
    const staffOnly = linesOf((await asAdmin.get('/admin/users/export/csv?role=staff')).text);
    expect(staffOnly.slice(1).map((l) => l.split(',')[0])).to.deep.equal(['office.jiangsu']);
    const book = await download(asAdmin, '/admin/users/export/xlsx?q=liaison');
    expect((await firstSheetRows(book.body)).map((r) => r[0])).to.deep.equal(['用户名', 'liaison.shaanxi']);
    const exported = db.select().from(auditLog).where(eq(auditLog.entityId, 'users')).all();
    expect(exported).to.have.length(3);

    const staff = await loginAs(app, { username: 'office.jiangsu', password: PASSWORD });
    expect((await staff.get('/admin/users/export/csv')).status).to.equal(403);
  });

  it('when an office exports its import history, then it holds its own imports with file, counts and state; an admin’s holds everyone’s', async () => {
    const { app, db } = buildApp();
    buildJiangsuShaanxi(db);
    const office = await loginAs(app, await buildUser(db, { username: 'office.jiangsu' }));
    const other = await loginAs(app, await buildUser(db, { username: 'office.suzhou' }));
    const admin = await loginAs(app, await buildUser(db, { username: 'admin.root', role: 'admin' }));
    const tpl = await templateOf(office, 'funds');
    const row = tpl.row(fundRow(1, { ref: '', purpose: '茶园' }));
    await uploadImport(office, 'funds', '五月台账.csv', asUtf8(csvText([tpl.labels, tpl.keys, row])));
    await uploadImport(other, 'funds', '苏州.csv', asUtf8(csvText([tpl.labels, tpl.keys, row, row.map(() => '')])));

    const mine = linesOf((await office.get('/imports/export/csv')).text);
    expect(mine[0]).to.equal('#,文件,类别,导入人,时间,状态,新增条数,更新条数,无变化条数,错误行数,提交时间,撤销时间');
    expect(mine).to.have.length(2);
    expect(mine[1]).to.match(
      /^1,五月台账\.csv,资金支持,测试 office\.jiangsu,\d{4}-\d{2}-\d{2} \d{2}:\d{2},已检查，待提交,1,0,0,0,,$/,
    );
    const everyone = linesOf((await admin.get('/imports/export/csv')).text);
    expect(everyone.slice(1).map((l) => l.split(',')[1])).to.deep.equal(['苏州.csv', '五月台账.csv']);
    const liaison = await loginAs(app, await buildUser(db, { username: 'liaison.x', role: 'liaison', regionCode: '610000' }));
    expect((await liaison.get('/imports/export/csv')).status).to.equal(403);
  });
});
