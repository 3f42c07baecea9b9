import type { Db } from '../../db/client.ts';
import { SYSTEM } from '../../server/lib/actor.ts';
import { createPairing } from '../../server/pairings/pairings.service.ts';
import type { PairingInput } from '../../server/pairings/pairings.schema.ts';
import { createRecord, type RecordKindKey } from '../../server/records/records.service.ts';

/** A pairing through the real service (all rules apply); defaults to the 江苏 → 陕西 province pair. */
export function buildPairing(db: Db, overrides: Partial<PairingInput> = {}) {
  const input: PairingInput = {
    level: 'province',
    assistingCode: '320000',
    assistedCode: '610000',
    startYear: 2021,
    status: 'active',
    outsideZones: false,
    ...overrides,
  };
  return createPairing(db, SYSTEM, input);
}

/** 江苏 → 陕西 with a county pair below it: 苏州市姑苏区 → 西安市新城区. */
export function buildJiangsuShaanxi(db: Db) {
  const province = buildPairing(db);
  const county = buildPairing(db, { level: 'county', assistingCode: '320508', assistedCode: '610102' });
  return { province, county };
}

/** 广东 → 贵州 with a county pair below it: 广州市越秀区 → 铜仁市碧江区. */
export function buildGuangdongGuizhou(db: Db) {
  const province = buildPairing(db, { assistingCode: '440000', assistedCode: '520000' });
  const county = buildPairing(db, { level: 'county', assistingCode: '440104', assistedCode: '520602' });
  return { province, county };
}

const DEFAULTS: Record<RecordKindKey, Record<string, unknown>> = {
  funds: {
    kind: 'fiscal',
    form: 'money',
    committedFen: 10_000_00,
    disbursedFen: 10_000_00,
    disbursedOn: '2024-03-02',
    purpose: '产业发展',
  },
  talents: { kind: 'cadre', direction: 'to_west', people: 2, startOn: '2024-03-01' },
  projects: {
    kind: 'project',
    name: '茶叶加工项目',
    status: 'operating',
    locationCode: '610102',
    actualFen: 500_000_00,
    jobsCreated: 30,
  },
  labour: {
    periodStart: '2024-01-01',
    periodEnd: '2024-06-30',
    destination: 'assisting_province',
    people: 120,
    formerlyPoor: 80,
  },
  consumption: { amountFen: 2_000_000_00, products: '猕猴桃' },
};

export function buildRecord(db: Db, kind: RecordKindKey, pairingId: number, overrides: Record<string, unknown> = {}) {
  return createRecord(db, SYSTEM, kind, pairingId, { year: 2024, date: '2024-03-01', ...DEFAULTS[kind], ...overrides } as never);
}

/** A transfer as a user types it into the form (amounts in 万元, the form's default unit). */
export const FUND_FORM: Record<string, string> = {
  year: '2024',
  date: '2024-03-01',
  kind: 'fiscal',
  form: 'money',
  committedFen: '100',
  committedFenUnit: 'wan',
  disbursedFen: '100',
  disbursedFenUnit: 'wan',
  disbursedOn: '2024-03-02',
  purpose: '产业发展',
};
