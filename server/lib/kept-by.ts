/**
 * Results kept beside an object that stands for the data they come from (a year's computed league,
 * a basis): they live exactly as long as it does, so they can never outlive the data. Each owner
 * keeps at most `max` results, the oldest going first (keys may come from a query string).
 */
const kept = new WeakMap<object, Map<string, unknown>>();

export function keptBy<T>(owner: object, key: string, make: () => T, max = 50): T {
  let results = kept.get(owner);
  if (!results) kept.set(owner, (results = new Map()));
  if (results.has(key)) return results.get(key) as T;
  const value = make();
  if (results.size >= max) results.delete(results.keys().next().value!);
  results.set(key, value);
  return value;
}
