import { Fragment } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { deleteMessages, receiveMessages } from "../api/queues.ts";
import type { ReceivedMessage } from "../api/queues.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Notice } from "../components/notice.tsx";
import { ScrollBox } from "../components/scroll-box.tsx";
import { describedBy, Field } from "../components/field.tsx";
import { formatBytes, formatDate } from "../format.ts";
import { useCountdown } from "../use-countdown.ts";
import { wholeNumber } from "../whole-number.ts";
import { ActionButton } from "../components/action-button.tsx";
import { useFocusRescue } from "../focus-rescue.ts";
import { refuseInvalid } from "../refuse-invalid.ts";

/** The longest single long poll SQS allows. */
const MAX_WAIT_SECONDS = 20;

/**
 * Polls with long receives for a chosen time or until a chosen count has
 * arrived, with a visible countdown. Received messages stay in flight for
 * the queue's visibility timeout; deleting them uses their receipt handles.
 */
export function ReceivePanel({ url }: { url: string }) {
  const [duration, setDuration] = useState("20");
  const [maxCount, setMaxCount] = useState("10");
  const [messages, setMessages] = useState<ReceivedMessage[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [opened, setOpened] = useState<Set<string>>(new Set());
  const [until, setUntil] = useState<number>();
  const [problems, setProblems] = useState<PollProblems>({});
  // Poll and Stop are two buttons in turn: the one shown takes the focus the other had.
  const pollButton = useRef<HTMLButtonElement>(null);
  useFocusRescue(pollButton, until === undefined);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const stop = useRef<AbortController | undefined>(undefined);
  const left = useCountdown(until);

  // Leaving the page ends its polling: a poll nobody watches would take
  // messages from the queue's real consumers until its duration ran out.
  useEffect(() => () => stop.current?.abort(), []);

  const poll = async (event: Event) => {
    event.preventDefault();
    // A notice of an earlier poll or delete would read as this one's.
    setError(undefined);
    setNotice(undefined);
    const seconds = checked(() => wholeNumber(duration, "Polling duration", 1, 3600));
    const wanted = checked(() => wholeNumber(maxCount, "Maximum message count", 1, 1000));
    const found: PollProblems = {};
    if (typeof seconds === "string") found.duration = seconds;
    if (typeof wanted === "string") found.count = wanted;
    setProblems(found);
    if (refuseInvalid(found, event.currentTarget as Element)) return;
    if (typeof seconds === "string" || typeof wanted === "string") return;
    const controller = new AbortController();
    stop.current = controller;
    const deadline = Date.now() + seconds * 1000;
    setUntil(deadline);
    let count = 0;
    try {
      while (!controller.signal.aborted && count < wanted) {
        const remaining = Math.floor((deadline - Date.now()) / 1000);
        if (remaining < 0) break;
        const batch = await receiveMessages(
          url,
          Math.min(10, wanted - count),
          Math.min(MAX_WAIT_SECONDS, remaining),
          controller.signal,
        );
        count += batch.length;
        if (batch.length > 0) setMessages((previous) => merge(previous, batch));
        if (remaining === 0) break;
      }
      setNotice(`Polling done: ${count} message${count === 1 ? "" : "s"} received.`);
    } catch (failure) {
      if (!controller.signal.aborted) setError(failure);
    } finally {
      setUntil(undefined);
    }
  };

  const remove = async () => {
    const chosen = messages.filter((message) => selected.has(message.MessageId));
    setError(undefined);
    setNotice(undefined);
    try {
      const { failed } = await deleteMessages(
        url,
        chosen.map((message) => message.ReceiptHandle),
      );
      const failedIds = new Set(failed.map((entry) => chosen[Number(entry.Id)]?.MessageId));
      setMessages(
        messages.filter(
          (message) => !selected.has(message.MessageId) || failedIds.has(message.MessageId),
        ),
      );
      setSelected(new Set());
      setNotice(
        `Deleted ${chosen.length - failed.length} message${chosen.length - failed.length === 1 ? "" : "s"}.` +
          (failed.length > 0 ? ` ${failed.length} failed: ${failed[0]?.Message ?? ""}` : ""),
      );
    } catch (failure) {
      setError(failure);
    }
  };

  const toggle = (set: Set<string>, id: string) => {
    const next = new Set(set);
    if (!next.delete(id)) next.add(id);
    return next;
  };

  return (
    <div class="panel">
      <h2>Receive messages</h2>
      <form onSubmit={poll} class="toolbar">
        <Field
          id="poll-duration"
          label="Polling duration (seconds)"
          hint="1 to 3600."
          error={problems.duration}
        >
          <input
            id="poll-duration"
            inputMode="numeric"
            aria-invalid={problems.duration === undefined ? undefined : "true"}
            aria-describedby={describedBy("poll-duration", true, problems.duration)}
            value={duration}
            onInput={(event) => setDuration(event.currentTarget.value)}
          />
        </Field>
        <Field
          id="poll-count"
          label="Maximum message count"
          hint="1 to 1000."
          error={problems.count}
        >
          <input
            id="poll-count"
            inputMode="numeric"
            aria-invalid={problems.count === undefined ? undefined : "true"}
            aria-describedby={describedBy("poll-count", true, problems.count)}
            value={maxCount}
            onInput={(event) => setMaxCount(event.currentTarget.value)}
          />
        </Field>
        {/* Two elements (keys), not one retyped: a Stop click re-renders before its
            default action, which would submit the form and poll again. */}
        {until === undefined ? (
          <button key="poll" ref={pollButton} type="submit" class="primary">
            Poll for messages
          </button>
        ) : (
          <button
            key="stop"
            ref={pollButton}
            type="button"
            onClick={(event) => {
              event.preventDefault();
              stop.current?.abort();
            }}
          >
            Stop polling
          </button>
        )}
        <span class="countdown" role="timer" aria-live="off">
          {until === undefined ? "" : `Polling: ${left} s left`}
        </span>
      </form>
      <ErrorNote error={error} />
      <Notice text={notice} />
      <div class="title-row">
        <h3>Messages ({messages.length})</h3>
        <ActionButton type="button" unavailable={selected.size === 0} onClick={remove}>
          Delete selected ({selected.size})
        </ActionButton>
      </div>
      <ScrollBox label="Received messages">
        <table class="messages">
          <thead>
            <tr>
              <th scope="col">
                <span class="visually-hidden">Select</span>
              </th>
              <th scope="col">ID</th>
              <th scope="col">Sent</th>
              <th scope="col" class="numeric">
                Size
              </th>
              <th scope="col" class="numeric">
                Receive count
              </th>
              <th scope="col">
                <span class="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {messages.map((message) => (
              <Fragment key={message.MessageId}>
                <tr>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select message ${message.MessageId}`}
                      checked={selected.has(message.MessageId)}
                      onChange={() => setSelected(toggle(selected, message.MessageId))}
                    />
                  </td>
                  <td>
                    <code>{message.MessageId}</code>
                  </td>
                  <td>
                    <Timestamp epochMs={message.Attributes?.SentTimestamp ?? "0"} />
                  </td>
                  <td class="numeric">
                    {formatBytes(new TextEncoder().encode(message.Body).length)}
                  </td>
                  <td class="numeric">{message.Attributes?.ApproximateReceiveCount ?? "?"}</td>
                  <td>
                    <button
                      type="button"
                      class="link"
                      aria-expanded={opened.has(message.MessageId)}
                      onClick={() => setOpened(toggle(opened, message.MessageId))}
                    >
                      {opened.has(message.MessageId) ? "Hide" : "Show"} body
                    </button>
                  </td>
                </tr>
                {opened.has(message.MessageId) ? (
                  <tr class="message-details">
                    <td colSpan={6}>
                      <MessageDetails message={message} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </ScrollBox>
    </div>
  );
}

function MessageDetails({ message }: { message: ReceivedMessage }) {
  return (
    <div class="message-body">
      <h4>Body</h4>
      <pre>{message.Body}</pre>
      <h4>Message attributes</h4>
      {Object.keys(message.MessageAttributes ?? {}).length === 0 ? (
        <p>None.</p>
      ) : (
        <dl class="inline">
          {Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => (
            <div>
              <dt>
                {name} ({value.DataType})
              </dt>
              <dd>{value.StringValue ?? value.BinaryValue}</dd>
            </div>
          ))}
        </dl>
      )}
      <h4>System attributes</h4>
      <dl class="inline">
        {Object.entries(message.Attributes ?? {}).map(([name, value]) => (
          <div>
            <dt>{name}</dt>
            <dd>{name.endsWith("Timestamp") ? <Timestamp epochMs={value} /> : value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

/** A system timestamp (ms since the epoch) as a date, its number kept in the title to copy. */
function Timestamp({ epochMs }: { epochMs: string }) {
  const date = new Date(Number(epochMs));
  if (!/^\d+$/.test(epochMs) || Number.isNaN(date.getTime())) return <>{epochMs}</>;
  return (
    <time dateTime={date.toISOString()} title={epochMs}>
      {formatDate(date.getTime())}
    </time>
  );
}

/** New deliveries replace earlier ones of the same message (a fresh receipt handle and count). */
function merge(previous: ReceivedMessage[], batch: ReceivedMessage[]): ReceivedMessage[] {
  const byId = new Map(previous.map((message) => [message.MessageId, message]));
  for (const message of batch) byId.set(message.MessageId, message);
  return [...byId.values()];
}

type PollProblems = { duration?: string; count?: string };

/** `read`'s number, or the message it threw: what to say beside its field. */
function checked(read: () => number): number | string {
  try {
    return read();
  } catch (invalid) {
    return (invalid as Error).message;
  }
}
