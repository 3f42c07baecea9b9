import type { Zone } from '../../db/schema/index.ts';

/**
 * Collaboration zones from the 2021 pairing list (DOMAIN.md §2), by GB/T 2260 province code.
 * This is only the initial value: an admin edits zones in the app, and the database is the truth.
 */
export const ZONES_2021: Readonly<Record<string, Zone>> = Object.freeze({
  // east: the 8 assisting provinces
  '110000': 'east', // 北京市
  '120000': 'east', // 天津市
  '310000': 'east', // 上海市
  '320000': 'east', // 江苏省
  '330000': 'east', // 浙江省
  '350000': 'east', // 福建省
  '370000': 'east', // 山东省
  '440000': 'east', // 广东省
  // west: the 10 assisted provinces
  '150000': 'west', // 内蒙古自治区
  '450000': 'west', // 广西壮族自治区
  '500000': 'west', // 重庆市
  '510000': 'west', // 四川省
  '520000': 'west', // 贵州省
  '530000': 'west', // 云南省
  '610000': 'west', // 陕西省
  '620000': 'west', // 甘肃省
  '630000': 'west', // 青海省
  '640000': 'west', // 宁夏回族自治区
});
