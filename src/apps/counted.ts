/** `1 widget`, `3 widgets`, `1,000 widgets`: a count with its noun in the form the count wants. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/** `1,000`: a count as people read it, the same in every locale. */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}
