/** Simplified Chinese texts of one area, merged into zh-CN.ts. Keys must match en.accounts.ts. */
export const zhCNaccounts: Record<string, string> = {};
