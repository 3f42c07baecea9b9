/** Simplified Chinese texts of one area, merged into zh-CN.ts. Keys must match en.robust.ts. */
export const zhCNrobust: Record<string, string> = {};
