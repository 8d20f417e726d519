/** A message attribute as typed in the Send panel's rows. */
export type AttributeRow = { name: string; type: "String" | "Number" | "Binary"; value: string };

/**
 * What is wrong with each row, by its index, in words to show beside its
 * name, as the tag editor refuses tags: a name given twice would keep only
 * its last value, and a value without a name would be dropped, both with
 * "Message sent" said. A blank row is skipped.
 */
export function attributeProblems(rows: AttributeRow[]): Record<number, string> {
  const problems: Record<number, string> = {};
  const seen = new Map<string, number>();
  rows.forEach((row, index) => {
    const name = row.name.trim();
    if (name === "") {
      if (row.value !== "")
        problems[index] =
          `Attribute ${index + 1} has a value but no name: give it a name, or remove it.`;
      return;
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      problems[index] =
        `Attributes ${earlier + 1} and ${index + 1} have the same name "${name}": a message holds one value per name.`;
      return;
    }
    seen.set(name, index);
  });
  return problems;
}
