/**
 * A tile grid of China's 31 provincial-level regions (mainland): each province one square at an
 * approximate (column, row) from the north-west, in the manner of the common "tile grid map of
 * China". Tiles stand for provinces, not their shapes: they draw no border (borders must come from
 * an officially approved map). Hand-made; the short name is what a tile can hold.
 */
export const CHINA_TILES: readonly { code: string; short: string; col: number; row: number }[] = [
  { code: '230000', short: '黑龙江', col: 7, row: 0 },
  { code: '650000', short: '新疆', col: 0, row: 1 },
  { code: '150000', short: '内蒙古', col: 4, row: 1 },
  { code: '110000', short: '北京', col: 5, row: 1 },
  { code: '220000', short: '吉林', col: 7, row: 1 },
  { code: '620000', short: '甘肃', col: 2, row: 2 },
  { code: '640000', short: '宁夏', col: 3, row: 2 },
  { code: '140000', short: '山西', col: 4, row: 2 },
  { code: '130000', short: '河北', col: 5, row: 2 },
  { code: '120000', short: '天津', col: 6, row: 2 },
  { code: '210000', short: '辽宁', col: 7, row: 2 },
  { code: '540000', short: '西藏', col: 0, row: 3 },
  { code: '630000', short: '青海', col: 1, row: 3 },
  { code: '610000', short: '陕西', col: 3, row: 3 },
  { code: '410000', short: '河南', col: 4, row: 3 },
  { code: '370000', short: '山东', col: 5, row: 3 },
  { code: '510000', short: '四川', col: 2, row: 4 },
  { code: '500000', short: '重庆', col: 3, row: 4 },
  { code: '420000', short: '湖北', col: 4, row: 4 },
  { code: '340000', short: '安徽', col: 5, row: 4 },
  { code: '320000', short: '江苏', col: 6, row: 4 },
  { code: '530000', short: '云南', col: 2, row: 5 },
  { code: '520000', short: '贵州', col: 3, row: 5 },
  { code: '430000', short: '湖南', col: 4, row: 5 },
  { code: '360000', short: '江西', col: 5, row: 5 },
  { code: '330000', short: '浙江', col: 6, row: 5 },
  { code: '310000', short: '上海', col: 7, row: 5 },
  { code: '450000', short: '广西', col: 3, row: 6 },
  { code: '440000', short: '广东', col: 4, row: 6 },
  { code: '350000', short: '福建', col: 5, row: 6 },
  { code: '460000', short: '海南', col: 4, row: 7 },
];

export const TILE_COLUMNS = 8;
export const TILE_ROWS = 8;
