// How many times each value occurs: statuses or error names of a burst, for exact-count assertions.
export function tally<K extends string | number>(values: readonly K[]): Partial<Record<K, number>> {
  const counts: Partial<Record<K, number>> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
