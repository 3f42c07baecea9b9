/** English texts of input checks and plausibility warnings (issue 12 item 6), merged into en.ts. Keys must match zh-CN.input.ts. */
export const enInput: Record<string, string> = {
  'validation.numberGrouping':
    '“{typed}” has its thousands separators in the wrong place: commas go every three digits, e.g. 1,234.5. If you mean {plain}, type {plain}.',
};
