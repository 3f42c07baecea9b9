/**
 * GB/T 2260 codes: two digits name a province, four a prefecture, six a county (then nine a
 * town, twelve a village). A province's or prefecture's own code pads with zeros (320000,
 * 320500): the prefix its divisions share is the code without them.
 */
export function prefixOfCode(code: string): string {
  if (code.length > 6) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}
