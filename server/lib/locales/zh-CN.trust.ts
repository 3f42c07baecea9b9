/** Simplified Chinese texts of one area, merged into zh-CN.ts. Keys must match en.trust.ts. */
export const zhCNtrust: Record<string, string> = {};
