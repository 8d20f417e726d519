import { useState } from "preact/hooks";
import { listQueueEntries } from "../api/console-data.ts";
import { setQueueAttributes } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import { QueueSettingsForm } from "../components/queue-settings-form.tsx";
import type { QueueView } from "./queue-view.ts";
import { attributesOf, settingsOf, settingsProblems } from "../queue-settings.ts";
import type { SettingsProblems } from "../queue-settings.ts";
import { refuseInvalid } from "../refuse-invalid.ts";
import { useAsync } from "../use-async.ts";

/** SetQueueAttributes with what changed; the form starts from the queue as it is now. */
export function EditTab({ view }: { view: QueueView }) {
  // What the queue holds: changes are judged against it, and it moves with each save.
  const [before, setBefore] = useState(() => settingsOf(view.attributes));
  const [settings, setSettings] = useState(before);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [problems, setProblems] = useState<SettingsProblems>({});
  const [busy, setBusy] = useState(false);
  const queues = useAsync(listQueueEntries, "queues");
  const candidates = (queues.value ?? []).filter(
    (queue) => queue.fifo === view.fifo && queue.name !== view.name,
  );

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    const found = settingsProblems(settings);
    setProblems(found);
    if (refuseInvalid(found)) return;
    const changed = attributesOf(settings, view.fifo, before);
    if (Object.keys(changed).length === 0) return setNotice("Nothing changed.");
    setBusy(true);
    try {
      await setQueueAttributes(view.url, changed);
      setBefore(settings);
      setNotice(`Saved: ${Object.keys(changed).join(", ")}.`);
      view.reload();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} class="settings">
      <QueueSettingsForm
        settings={settings}
        onChange={setSettings}
        fifo={view.fifo}
        candidates={candidates}
        withPolicy={false}
        problems={problems}
      />
      <ErrorNote error={error} />
      <Notice text={notice} />
      <div class="buttons">
        <button type="submit" class="primary" disabled={busy}>
          Save
        </button>
      </div>
    </form>
  );
}
