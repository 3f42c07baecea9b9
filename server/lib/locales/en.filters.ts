/** English texts of the lists' filters and the phone menu, merged into en.ts. Keys must match zh-CN.filters.ts. */
export const enfilters: Record<string, string> = {
  'filters.clear': 'Clear filters',
  'filters.regionSide': 'Region as',
  'filters.recordSide': 'Entered by',
  'filters.eitherSide': 'Either side',
  'nav.menu': 'Menu',
};
