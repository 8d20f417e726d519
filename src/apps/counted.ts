/** `1 widget`, `3 widgets`, `1,000 widgets`: a count with its noun in the form the count wants. */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}
