import { useState } from "preact/hooks";
import { queueTags } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import { TagEditor, tagsOf } from "../components/tag-editor.tsx";
import type { TagRow } from "../components/tag-editor.tsx";
import type { QueueView } from "./queue-view.ts";
import { saveTags, TagsNotAllSaved } from "./save-tags.ts";
import { useAsync } from "../use-async.ts";

/**
 * ListQueueTags, then TagQueue for new and changed keys and UntagQueue for
 * removed ones (saveTags). The editor opens once the tags are in: rows added before
 * would be saved as the whole set, removing the tags not yet shown.
 */
export function TagsTab({ view }: { view: QueueView }) {
  const tags = useAsync(() => queueTags(view.url), `tags:${view.url}`);
  // The tags as last saved here: the queue's own from then on, with no
  // reload to wait for (shown meanwhile, the old tags would be edited and saved).
  const [saved, setSaved] = useState<Record<string, string>>();
  const current = saved ?? tags.value;
  const [rows, setRows] = useState<TagRow[]>();
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const shown = rows ?? Object.entries(current ?? {}).map(([key, value]) => ({ key, value }));

  const save = async (event: Event) => {
    event.preventDefault();
    if (current === undefined) return;
    setError(undefined);
    setNotice(undefined);
    try {
      const after = tagsOf(shown);
      await saveTags(view.url, current, after);
      setNotice("Tags saved.");
      setSaved(after);
      setRows(undefined);
    } catch (failure) {
      // Part saved: what the queue now holds is the base of the next save,
      // the rows stay as typed to try again.
      if (failure instanceof TagsNotAllSaved) setSaved(failure.now);
      setError(failure);
    }
  };

  return (
    <form onSubmit={save}>
      <ErrorNote error={tags.error} />
      {current === undefined && !tags.error ? <p aria-busy="true">Loading…</p> : null}
      {current === undefined ? null : (
        <>
          <TagEditor rows={shown} onChange={setRows} />
          <ErrorNote error={error} />
          <Notice text={notice} />
          <div class="buttons">
            <button type="submit" class="primary">
              Save tags
            </button>
          </div>
        </>
      )}
    </form>
  );
}
