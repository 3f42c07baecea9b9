/** Simplified Chinese texts of input checks and plausibility warnings (issue 12 item 6), merged into zh-CN.ts. Keys must match en.input.ts. */
export const zhCNinput: Record<string, string> = {
  'validation.numberGrouping': '「{typed}」的千位分隔不正确：逗号应每三位一组，如 1,234.5。若指 {plain}，请填写 {plain}。',
};
