/** Simplified Chinese texts of the lists' filters and the phone menu, merged into zh-CN.ts. Keys must match en.filters.ts. */
export const zhCNfilters: Record<string, string> = {
  'filters.clear': '清除筛选',
  'filters.regionSide': '地区所在方',
  'filters.recordSide': '录入方',
  'filters.eitherSide': '双方',
  'nav.menu': '菜单',
};
