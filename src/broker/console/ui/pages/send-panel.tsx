import { Fragment } from "preact";
import { useRef, useState } from "preact/hooks";
import { sendMessage } from "../api/queues.ts";
import type { MessageAttributeValue } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import { describedBy, Field } from "../components/field.tsx";
import { useFocusRescue } from "../focus-rescue.ts";
import { refuseInvalid } from "../refuse-invalid.ts";
import { wholeNumber } from "../whole-number.ts";
import { attributeProblems } from "./attribute-rows.ts";
import type { AttributeRow } from "./attribute-rows.ts";
import { ActionButton } from "../components/action-button.tsx";

/** SendMessage with a body, message attributes, a delay, and group and deduplication ids on FIFO. */
export function SendPanel(props: {
  url: string;
  fifo: boolean;
  contentBasedDeduplication: boolean;
  /** The queue's DelaySeconds: the field starts there, and left so, the queue's delay applies. */
  queueDelaySeconds: string;
}) {
  const [body, setBody] = useState("");
  const [groupId, setGroupId] = useState("");
  const [deduplicationId, setDeduplicationId] = useState("");
  const [delay, setDelay] = useState(props.queueDelaySeconds);
  const [attributes, setAttributes] = useState<AttributeRow[]>([]);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Record<number, string>>({});
  const [delayRefused, setDelayRefused] = useState<string>();

  const send = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setNotice(undefined);
    const found = attributeProblems(attributes);
    setProblems(found);
    const delayRefused = props.fifo ? undefined : delayProblem(delay, props.queueDelaySeconds);
    setDelayRefused(delayRefused);
    const refused = delayRefused === undefined ? found : { ...found, delay: delayRefused };
    if (refuseInvalid(refused, event.currentTarget as Element)) return;
    setBusy(true);
    try {
      const values: Record<string, MessageAttributeValue> = {};
      for (const row of attributes) {
        if (row.name.trim() === "") continue;
        values[row.name.trim()] =
          row.type === "Binary"
            ? { DataType: "Binary", BinaryValue: base64Value(row) }
            : { DataType: row.type, StringValue: row.value };
      }
      const { MessageId } = await sendMessage(props.url, {
        body,
        attributes: values,
        ...(props.fifo
          ? { groupId, deduplicationId }
          : messageDelay(delay, props.queueDelaySeconds)),
      });
      setNotice(`Message sent: ${MessageId}`);
      if (props.fifo && deduplicationId !== "") setDeduplicationId("");
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  // What was refused is said by row number: a changed list is judged again at Send.
  const changeAttributes = (rows: AttributeRow[]) => {
    setAttributes(rows);
    setProblems({});
  };
  // The last row's Remove goes with its row: Add attribute takes the focus.
  const addButton = useRef<HTMLButtonElement>(null);
  useFocusRescue(addButton, attributes.length);
  const update = (index: number, row: AttributeRow) =>
    changeAttributes(attributes.map((each, at) => (at === index ? row : each)));

  return (
    <form onSubmit={send} class="panel">
      <h2>Send message</h2>
      <Field id="send-body" label="Message body">
        <textarea
          id="send-body"
          rows={5}
          required
          value={body}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </Field>
      <div class="grid">
        {props.fifo ? (
          <>
            <Field id="send-group" label="Message group ID" hint="Required on a FIFO queue.">
              <input
                id="send-group"
                required
                aria-describedby="send-group-hint"
                value={groupId}
                onInput={(event) => setGroupId(event.currentTarget.value)}
              />
            </Field>
            <Field
              id="send-dedup"
              label="Message deduplication ID"
              hint={
                props.contentBasedDeduplication
                  ? "Optional: content-based deduplication is on."
                  : "Required: content-based deduplication is off."
              }
            >
              <input
                id="send-dedup"
                aria-describedby="send-dedup-hint"
                value={deduplicationId}
                onInput={(event) => setDeduplicationId(event.currentTarget.value)}
              />
            </Field>
          </>
        ) : (
          <Field
            id="send-delay"
            label="Delivery delay (seconds)"
            hint={`0 to 900; the queue's own is ${props.queueDelaySeconds}.`}
            error={delayRefused}
          >
            <input
              id="send-delay"
              inputMode="numeric"
              aria-invalid={delayRefused === undefined ? undefined : "true"}
              aria-describedby={describedBy("send-delay", true, delayRefused)}
              value={delay}
              onInput={(event) => setDelay(event.currentTarget.value)}
            />
          </Field>
        )}
      </div>
      <fieldset>
        <legend>Message attributes</legend>
        <div class="attribute-grid">
          {attributes.map((row, index) => (
            <Fragment key={index}>
              <input
                aria-label={`Attribute ${index + 1} name`}
                aria-invalid={problems[index] === undefined ? undefined : "true"}
                aria-describedby={
                  problems[index] === undefined ? undefined : `attribute-${index}-error`
                }
                placeholder="Name"
                value={row.name}
                onInput={(event) => update(index, { ...row, name: event.currentTarget.value })}
              />
              <select
                aria-label={`Attribute ${index + 1} type`}
                value={row.type}
                onChange={(event) =>
                  update(index, { ...row, type: event.currentTarget.value as AttributeRow["type"] })
                }
              >
                <option>String</option>
                <option>Number</option>
                <option>Binary</option>
              </select>
              <input
                aria-label={`Attribute ${index + 1} value`}
                placeholder={row.type === "Binary" ? "Base64" : "Value"}
                value={row.value}
                onInput={(event) => update(index, { ...row, value: event.currentTarget.value })}
              />
              <button
                type="button"
                aria-label={`Remove attribute ${index + 1}`}
                onClick={() => changeAttributes(attributes.filter((_, at) => at !== index))}
              >
                Remove
              </button>
              {problems[index] === undefined ? null : (
                <small id={`attribute-${index}-error`} class="field-error row-error" role="alert">
                  {problems[index]}
                </small>
              )}
            </Fragment>
          ))}
        </div>
        <button
          type="button"
          ref={addButton}
          onClick={() => changeAttributes([...attributes, { name: "", type: "String", value: "" }])}
        >
          Add attribute
        </button>
      </fieldset>
      <ErrorNote error={error} />
      <Notice text={notice} />
      <ActionButton type="submit" class="primary" unavailable={busy}>
        Send message
      </ActionButton>
    </form>
  );
}

/**
 * A Binary attribute's value is typed in base64, as the receive panel shows
 * one, so a received value can be sent again as it is.
 */
function base64Value(row: AttributeRow): string {
  const value = row.value.trim();
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new Error(
      `Binary attribute ${row.name.trim()} takes its bytes in base64, such as "aGk=".`,
    );
  }
  return value;
}

/**
 * DelaySeconds for one message. Sent only when it differs from the queue's:
 * a message's own delay overrides the queue's, so a 0 sent by default would
 * undo a delay queue.
 */
function messageDelay(text: string, queueDelaySeconds: string): { delaySeconds?: number } {
  if (text.trim() === "" || text.trim() === queueDelaySeconds) return {};
  return { delaySeconds: wholeNumber(text, "Delivery delay", 0, 900) };
}

/** What is wrong with the delay typed, to say beside it; undefined when it can be sent. */
function delayProblem(text: string, queueDelaySeconds: string): string | undefined {
  try {
    messageDelay(text, queueDelaySeconds);
    return undefined;
  } catch (invalid) {
    return (invalid as Error).message;
  }
}
