import { useState } from "preact/hooks";
import { setQueueAttributes } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import type { QueueView } from "./queue-view.ts";

/** The stored access policy (the `Policy` attribute), pretty-printed and editable. */
export function PolicyTab({ view }: { view: QueueView }) {
  const [text, setText] = useState(() => pretty(view.attributes.Policy ?? ""));
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    try {
      await setQueueAttributes(view.url, { Policy: text.trim() });
      setNotice(text.trim() === "" ? "Policy removed." : "Policy saved.");
      view.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <form onSubmit={save}>
      <p>
        The queue's resource policy, as SetQueueAttributes stores it. Empty: only the account's own
        callers may use the queue.
      </p>
      <label for="policy-text">Access policy (JSON)</label>
      <textarea
        id="policy-text"
        class="code"
        rows={16}
        spellcheck={false}
        value={text}
        onInput={(event) => setText(event.currentTarget.value)}
      />
      <ErrorNote error={error} />
      <Notice text={notice} />
      <div class="buttons">
        <button type="submit" class="primary">
          Save policy
        </button>
      </div>
    </form>
  );
}

function pretty(text: string): string {
  if (text === "") return "";
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
