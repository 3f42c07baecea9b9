/** English texts of one area, merged into en.ts. Keys must match zh-CN.trust.ts. */
export const entrust: Record<string, string> = {};
