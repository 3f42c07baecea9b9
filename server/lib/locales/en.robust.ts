/** English texts of one area, merged into en.ts. Keys must match zh-CN.robust.ts. */
export const enrobust: Record<string, string> = {};
