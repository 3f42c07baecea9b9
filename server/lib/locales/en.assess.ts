/** English texts of one area, merged into en.ts. Keys must match zh-CN.assess.ts. */
export const enassess: Record<string, string> = {};
