/**
 * Calendar days and years as the users live them: in China (UTC+8, no daylight saving), whatever
 * the server's own time zone. A deadline's day, the days left to it, the share of the year gone
 * and "this year" are all read here, so the home pages, the reminders and the charts agree.
 */
const OFFSET_MS = 8 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The moment shifted so that its UTC fields read as the wall clock in China. */
const shifted = (now: Date) => new Date(now.getTime() + OFFSET_MS);

/** The calendar day in China, as YYYY-MM-DD. */
export function chinaDay(now: Date): string {
  return shifted(now).toISOString().slice(0, 10);
}

/** The year in China (on 1 January at 01:00 in Beijing it is already the new year). */
export function chinaYear(now: Date): number {
  return shifted(now).getUTCFullYear();
}

/** Start of a day in China (YYYY-MM-DD) as a moment. */
function startOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) - OFFSET_MS;
}

/**
 * Whole days left until the end of a day in China (0: the day itself; negative: that many days
 * past it).
 */
export function daysUntil(day: string, now: Date): number {
  return Math.round((startOf(day) - startOf(chinaDay(now))) / DAY_MS);
}

/** Share of a year gone at `now` in China: 1 for a past year, 0 for a future one. */
export function yearFraction(year: number, now: Date): number {
  const y = chinaYear(now);
  if (year < y) return 1;
  if (year > y) return 0;
  const start = startOf(`${y}-01-01`);
  return (now.getTime() - start) / (startOf(`${y + 1}-01-01`) - start);
}
