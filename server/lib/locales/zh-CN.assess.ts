/** Simplified Chinese texts of one area, merged into zh-CN.ts. Keys must match en.assess.ts. */
export const zhCNassess: Record<string, string> = {};
