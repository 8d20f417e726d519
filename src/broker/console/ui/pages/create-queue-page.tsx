import { useState } from "preact/hooks";
import { listQueueEntries } from "../api/console-data.ts";
import { createQueue, queueExists } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Field } from "../components/field.tsx";
import { QueueSettingsForm, Radios } from "../components/queue-settings-form.tsx";
import { refuseInvalid } from "../refuse-invalid.ts";
import { TagEditor, tagsOf } from "../components/tag-editor.tsx";
import type { TagRow } from "../components/tag-editor.tsx";
import { attributesOf, DEFAULT_SETTINGS, settingsProblems } from "../queue-settings.ts";
import type { SettingsProblems } from "../queue-settings.ts";
import { hrefOf, navigate } from "../router.ts";
import { useAsync } from "../use-async.ts";
import { ActionButton } from "../components/action-button.tsx";

/** CreateQueue with every setting of the AWS form; AWS's error, if any, above the button. */
export function CreateQueuePage() {
  const [name, setName] = useState("");
  const [fifo, setFifo] = useState(false);
  const [settings, setSettings] = useState(DEFAULT_SETTINGS);
  const [tags, setTags] = useState<TagRow[]>([]);
  const [error, setError] = useState<unknown>();
  const [problems, setProblems] = useState<SettingsProblems>({});
  const [busy, setBusy] = useState(false);
  const queues = useAsync(listQueueEntries, "queues");
  const candidates = (queues.value ?? []).filter((queue) => queue.fifo === fifo);

  const chooseType = (value: string) => {
    const isFifo = value === "fifo";
    setFifo(isFifo);
    if (isFifo && name !== "" && !name.endsWith(".fifo")) setName(`${name}.fifo`);
    if (!isFifo && name.endsWith(".fifo")) setName(name.slice(0, -".fifo".length));
    setSettings({ ...settings, deadLetterTargetArn: "" });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const found = settingsProblems(settings);
    setProblems(found);
    if (refuseInvalid(found)) return;
    setBusy(true);
    try {
      const attributes = attributesOf(settings, fifo);
      if (fifo) attributes.FifoQueue = "true";
      const queueTags = tagsOf(tags);
      // CreateQueue with an existing queue's name answers its URL and drops the tags.
      if (await queueExists(name.trim())) {
        throw new Error(`A queue named ${name.trim()} already exists.`);
      }
      await createQueue(name.trim(), attributes, queueTags);
      navigate({ page: "queue", name: name.trim(), tab: "details" });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <section>
      <p class="crumbs">
        <a href={hrefOf({ page: "queues" })}>Queues</a> › Create queue
      </p>
      <h1>Create queue</h1>
      <form onSubmit={submit} class="settings">
        <fieldset>
          <legend>Details</legend>
          <Radios
            name="create-type"
            label="Type"
            value={fifo ? "fifo" : "standard"}
            onChange={chooseType}
            options={[
              ["standard", "Standard: at-least-once delivery, best-effort ordering"],
              ["fifo", "FIFO: first-in-first-out delivery, exactly-once processing"],
            ]}
          />
          <Field
            id="create-name"
            label="Name"
            hint={`Up to 80 characters: letters, digits, - and _${fifo ? "; a FIFO queue's name ends in .fifo" : ""}.`}
          >
            <input
              id="create-name"
              required
              aria-describedby="create-name-hint"
              value={name}
              onInput={(event) => setName(event.currentTarget.value)}
            />
          </Field>
        </fieldset>
        <QueueSettingsForm
          settings={settings}
          onChange={setSettings}
          fifo={fifo}
          candidates={candidates}
          withPolicy
          problems={problems}
        />
        <fieldset>
          <legend>Tags</legend>
          <TagEditor rows={tags} onChange={setTags} />
        </fieldset>
        <ErrorNote error={error} />
        <div class="buttons">
          <a class="button" href={hrefOf({ page: "queues" })}>
            Cancel
          </a>
          <ActionButton type="submit" class="primary" unavailable={busy}>
            Create queue
          </ActionButton>
        </div>
      </form>
    </section>
  );
}
