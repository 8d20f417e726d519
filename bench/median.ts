/** The middle value (the upper of the two middles of an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1] ?? Number.NaN;
}
