/** English texts of one area, merged into en.ts. Keys must match zh-CN.accounts.ts. */
export const enaccounts: Record<string, string> = {};
