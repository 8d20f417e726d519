import { useState } from "preact/hooks";
import { queueTags, tagQueue, untagQueue } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { TagEditor, tagsOf } from "../components/tag-editor.tsx";
import type { TagRow } from "../components/tag-editor.tsx";
import type { QueueView } from "./queue-view.ts";
import { useAsync } from "../use-async.ts";

/** ListQueueTags, then UntagQueue for removed keys and TagQueue for new and changed ones. */
export function TagsTab({ view }: { view: QueueView }) {
  const tags = useAsync(() => queueTags(view.url), `tags:${view.url}`);
  const [rows, setRows] = useState<TagRow[]>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const shown = rows ?? Object.entries(tags.value ?? {}).map(([key, value]) => ({ key, value }));

  const save = async (event: Event) => {
    event.preventDefault();
    const before = tags.value ?? {};
    setError(undefined);
    setNotice(undefined);
    try {
      const after = tagsOf(shown);
      const removed = Object.keys(before).filter((key) => !Object.hasOwn(after, key));
      const changed = Object.fromEntries(
        Object.entries(after).filter(([key, value]) => before[key] !== value),
      );
      if (removed.length > 0) await untagQueue(view.url, removed);
      if (Object.keys(changed).length > 0) await tagQueue(view.url, changed);
      setNotice("Tags saved.");
      setRows(undefined);
      tags.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form onSubmit={save}>
      <ErrorNote error={tags.error} />
      {tags.value === undefined && !tags.error ? <p aria-busy="true">Loading…</p> : null}
      <TagEditor rows={shown} onChange={setRows} />
      <ErrorNote error={error} />
      {notice === undefined ? null : (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <div class="buttons">
        <button type="submit" class="primary">
          Save tags
        </button>
      </div>
    </form>
  );
}
