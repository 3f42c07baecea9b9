import { expect } from 'chai';
import { SYSTEM, type Actor } from '../../server/lib/actor.ts';
import { ValidationError } from '../../server/lib/errors.ts';
import { createPairing, endPairing, getPairing, listPairings, updatePairing } from '../../server/pairings/pairings.service.ts';
import type { PairingInput } from '../../server/pairings/pairings.schema.ts';
import { buildDb } from '../support/app.ts';
import { buildPairing, buildRecord } from '../support/factories.ts';

/** The field → message-key map a refused pairing reports. */
function refusal(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, v.key]));
    throw err;
  }
  throw new Error('expected the pairing to be refused');
}

const base: PairingInput = {
  level: 'province',
  assistingCode: '320000',
  assistedCode: '610000',
  startYear: 2021,
  status: 'active',
  outsideZones: false,
};

describe('pairing rules', () => {
  it('when both sides are the same region, then it is refused', () => {
    const db = buildDb();
    expect(refusal(() => createPairing(db, SYSTEM, { ...base, assistedCode: '320000' }))).to.include({
      assistedCode: 'pairings.rule.sameSides',
    });
  });

  it('when the assisting side is not in the east or the assisted not in the west, then it is refused', () => {
    const db = buildDb();
    expect(refusal(() => createPairing(db, SYSTEM, { ...base, assistingCode: '420000' }))).to.include({
      assistingCode: 'pairings.rule.notEast',
    });
    expect(refusal(() => createPairing(db, SYSTEM, { ...base, assistedCode: '430000' }))).to.include({
      assistedCode: 'pairings.rule.notWest',
    });
  });

  it('when an admin allows regions outside the zones, then a pre-2021 central pair is accepted; staff may not', () => {
    const db = buildDb();
    const enshi = {
      ...base,
      level: 'city' as const,
      assistingCode: '330100',
      assistedCode: '422800',
      startYear: 2016,
      endYear: 2020,
      status: 'ended' as const,
      outsideZones: true,
    };
    expect(createPairing(db, SYSTEM, enshi).outsideZones).to.equal(true);
    const staff: Actor = { id: 0, role: 'staff', scope: '33' };
    expect(refusal(() => createPairing(db, staff, { ...enshi, assistingCode: '330200' }))).to.include({
      outsideZones: 'pairings.rule.outsideZonesAdmin',
    });
  });

  it('when the end year is before the start year, or an ended pair has none, then it is refused', () => {
    const db = buildDb();
    expect(refusal(() => createPairing(db, SYSTEM, { ...base, startYear: 2021, endYear: 2019 }))).to.include({
      endYear: 'pairings.rule.endBeforeStart',
    });
    expect(refusal(() => createPairing(db, SYSTEM, { ...base, status: 'ended' }))).to.include({
      endYear: 'pairings.rule.endYearRequired',
    });
  });

  it('when two pairings of the same sides overlap in years, then the second is refused; after the first ends it is accepted', () => {
    const db = buildDb();
    const first = buildPairing(db, { startYear: 2016 });
    expect(refusal(() => buildPairing(db, { startYear: 2021 }))).to.have.property('startYear', 'pairings.rule.overlap');
    endPairing(db, SYSTEM, first.id, 2020, first.version);
    expect(buildPairing(db, { startYear: 2021 }).id).to.be.a('number');
  });

  it('when a child pair lies outside its parent’s sides or years, then it is refused', () => {
    const db = buildDb();
    const parent = buildPairing(db);
    const outside = { ...base, level: 'county' as const, parentId: parent.id, assistingCode: '440104', assistedCode: '610102' }; // 广州 is not in 江苏
    expect(refusal(() => createPairing(db, SYSTEM, outside))).to.include({ parentId: 'pairings.rule.outsideParent' });
    const early = {
      ...base,
      level: 'county' as const,
      parentId: parent.id,
      assistingCode: '320508',
      assistedCode: '610102',
      startYear: 2019,
    };
    expect(refusal(() => createPairing(db, SYSTEM, early))).to.include({ parentId: 'pairings.rule.outsideParentYears' });
  });

  it('when a county pair is created without a parent, then it is put under the pair containing both sides', () => {
    const db = buildDb();
    const province = buildPairing(db);
    const city = buildPairing(db, { level: 'city', assistingCode: '320500', assistedCode: '610100' });
    expect(city.parentId).to.equal(province.id);
    const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    expect(county.parentId).to.equal(city.id);
  });

  it('when region levels do not fit the pairing level, then it is refused', () => {
    const db = buildDb();
    expect(refusal(() => createPairing(db, SYSTEM, { ...base, assistingCode: '320500' }))).to.include({
      assistingCode: 'pairings.rule.level.province',
    });
    expect(
      refusal(() => createPairing(db, SYSTEM, { ...base, level: 'county', assistingCode: '320500', assistedCode: '610102' })),
    ).to.include({ assistingCode: 'pairings.rule.level.county' });
    // 东莞 has no counties, so it stands for a county
    expect(buildPairing(db, { level: 'county', assistingCode: '441900', assistedCode: '520602' }).id).to.be.a('number');
  });

  it('when a pair-up lacks its parent county pair or unit names, then it is refused', () => {
    const db = buildDb();
    const pairup = {
      ...base,
      level: 'pairup' as const,
      pairupKind: 'school' as const,
      assistingCode: '320508',
      assistedCode: '610102',
    };
    expect(refusal(() => createPairing(db, SYSTEM, pairup))).to.include({
      parentId: 'pairings.rule.parentRequired',
      assistingUnit: 'pairings.rule.unitRequired',
    });
    buildPairing(db);
    const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
    const ok = createPairing(db, SYSTEM, {
      ...pairup,
      parentId: county.id,
      assistingUnit: '苏州市第一中学',
      assistedUnit: '西安市新城区第一中学',
    });
    expect(ok).to.include({ level: 'pairup', pairupKind: 'school', parentId: county.id });
  });

  it('when a pair is ended and its region re-paired, then the old pair and its records stay and no new year can be added to it', () => {
    const db = buildDb();
    const old = buildPairing(db, {
      level: 'city',
      assistingCode: '320500',
      assistedCode: '520600',
      startYear: 2016,
      outsideZones: true,
    });
    buildRecord(db, 'consumption', old.id, { year: 2019, date: '2019-05-01', amountFen: 123_00 });
    endPairing(db, SYSTEM, old.id, 2020, old.version);
    buildPairing(db, { assistingCode: '440000', assistedCode: '520000' });
    const successor = buildPairing(db, { level: 'city', assistingCode: '440100', assistedCode: '520600' });
    expect(successor.startYear).to.equal(2021);
    const kept = getPairing(db, SYSTEM, old.id);
    expect(kept).to.include({ status: 'ended', endYear: 2020 });
    expect(listPairings(db, SYSTEM, { region: '5206' }).total).to.equal(2);
    expect(() => buildRecord(db, 'consumption', old.id, { year: 2021, date: '2021-05-01' })).to.throw(ValidationError);
  });

  it('when an edit changes nothing of the rules, then it is saved and the version moves on', () => {
    const db = buildDb();
    const p = buildPairing(db);
    const saved = updatePairing(db, SYSTEM, p.id, { ...base, notes: '2021 年起结对', version: p.version });
    expect(saved).to.include({ notes: '2021 年起结对', version: p.version + 1 });
  });
});
