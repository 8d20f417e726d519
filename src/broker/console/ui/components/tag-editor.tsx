import { Fragment } from "preact";

export type TagRow = { key: string; value: string };

/** Tag rows to edit: key and value inputs, add and remove, all labelled. */
export function TagEditor({
  rows,
  onChange,
}: {
  rows: TagRow[];
  onChange: (rows: TagRow[]) => void;
}) {
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
      <button type="button" onClick={() => onChange([...rows, { key: "", value: "" }])}>
        Add tag
      </button>
    </div>
  );
}

export function tagsOf(rows: TagRow[]): Record<string, string> {
  return Object.fromEntries(
    rows.filter((row) => row.key.trim() !== "").map((row) => [row.key.trim(), row.value]),
  );
}
