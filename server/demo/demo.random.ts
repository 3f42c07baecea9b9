/** A small seeded PRNG (mulberry32): the same seed always gives the same demo data. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
    /** A date in the year, as 'YYYY-MM-DD' (days 1–28 so every month works). */
    date: (year: number, fromMonth = 1, toMonth = 12) => {
      const m = fromMonth + Math.floor(next() * (toMonth - fromMonth + 1));
      const d = 1 + Math.floor(next() * 28);
      return `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    },
  };
}
export type Random = ReturnType<typeof createRandom>;
