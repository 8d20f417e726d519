import { Fragment } from "preact";
import { useRef } from "preact/hooks";
import { useFocusRescue } from "../focus-rescue.ts";

export type TagRow = { key: string; value: string };

/** Tag rows to edit: key and value inputs, add and remove, all labelled. */
export function TagEditor({
  rows,
  onChange,
}: {
  rows: TagRow[];
  onChange: (rows: TagRow[]) => void;
}) {
  // The last row's Remove goes with its row: Add tag takes the focus.
  const addButton = useRef<HTMLButtonElement>(null);
  useFocusRescue(addButton, rows.length);
  const update = (index: number, row: TagRow) =>
    onChange(rows.map((each, at) => (at === index ? row : each)));
  return (
    <div class="tags">
      {rows.length === 0 ? <p class="empty">No tags.</p> : null}
      <div class="tag-grid">
        {rows.map((row, index) => (
          <Fragment key={index}>
            <input
              aria-label={`Tag ${index + 1} key`}
              placeholder="Key"
              value={row.key}
              onInput={(event) => update(index, { ...row, key: event.currentTarget.value })}
            />
            <input
              aria-label={`Tag ${index + 1} value`}
              placeholder="Value (optional)"
              value={row.value}
              onInput={(event) => update(index, { ...row, value: event.currentTarget.value })}
            />
            <button
              type="button"
              aria-label={`Remove tag ${index + 1}`}
              onClick={() => onChange(rows.filter((_, at) => at !== index))}
            >
              Remove
            </button>
          </Fragment>
        ))}
      </div>
      <button
        type="button"
        ref={addButton}
        onClick={() => onChange([...rows, { key: "", value: "" }])}
      >
        Add tag
      </button>
    </div>
  );
}

/**
 * The rows as tags. A blank row is skipped; a value without a key, or a key
 * given twice, throws with a message to show in place: sent as they were,
 * the first would be dropped and the second would keep only its last value.
 */
export function tagsOf(rows: TagRow[]): Record<string, string> {
  const tags = new Map<string, { value: string; row: number }>();
  rows.forEach((row, index) => {
    const key = row.key.trim();
    if (key === "") {
      if (row.value === "") return;
      throw new Error(`Tag ${index + 1} has a value but no key: give it a key, or remove it.`);
    }
    const earlier = tags.get(key);
    if (earlier !== undefined) {
      throw new Error(
        `Tags ${earlier.row} and ${index + 1} have the same key "${key}": a queue holds one value per key.`,
      );
    }
    tags.set(key, { value: row.value, row: index + 1 });
  });
  return Object.fromEntries([...tags].map(([key, { value }]) => [key, value]));
}
