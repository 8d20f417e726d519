import { useRef, useState } from "preact/hooks";
import { listQueueEntries } from "../api/console-data.ts";
import { setQueueAttributes } from "../api/queues.ts";
import type { Attributes } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import { QueueSettingsForm } from "../components/queue-settings-form.tsx";
import type { QueueView } from "./queue-view.ts";
import { attributesOf, settingsOf, settingsProblems } from "../queue-settings.ts";
import type { QueueSettings, SettingsProblems } from "../queue-settings.ts";
import { refuseInvalid } from "../refuse-invalid.ts";
import { useAsync } from "../use-async.ts";
import { ActionButton } from "../components/action-button.tsx";

/**
 * SetQueueAttributes with every value the form shows that differs from the
 * queue's: Save applies the form as shown, as the AWS console's Edit (which
 * sends the whole form) does. The form starts from the queue as it is when
 * the tab opens; a change made elsewhere since (another tab, an SDK) is not
 * copied into it, and a field showing another value puts that value back.
 */
export function EditTab({ view }: { view: QueueView }) {
  // What the queue holds, as far as this tab knows: its attributes as last
  // read (the page reads them every 5 s, so another tab's change counts),
  // or what this tab saved after that read, until they are read again.
  const [saved, setSaved] = useState<{ settings: QueueSettings; over: Attributes }>();
  const queueHolds =
    saved !== undefined && saved.over === view.attributes
      ? saved.settings
      : settingsOf(view.attributes);
  const [settings, setSettings] = useState(queueHolds);
  // A read that lands while a save is on its way may predate the save.
  const lastRead = useRef(view.attributes);
  lastRead.current = view.attributes;
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
    const changed = attributesOf(settings, view.fifo, queueHolds);
    if (Object.keys(changed).length === 0) return setNotice("Nothing changed.");
    setBusy(true);
    try {
      await setQueueAttributes(view.url, changed);
      setSaved({ settings, over: lastRead.current });
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
        <ActionButton type="submit" class="primary" unavailable={busy}>
          Save
        </ActionButton>
      </div>
    </form>
  );
}
