import { useRef, useState } from "preact/hooks";
import { listQueueEntries } from "../api/console-data.ts";
import { cancelMoveTask, deadLetterSources, moveTasks, startMoveTask } from "../api/queues.ts";
import type { MoveTaskReport } from "../../../wire-types.ts";
import { ErrorNote } from "../components/error-note.tsx";
import { Field } from "../components/field.tsx";
import { Radios } from "../components/queue-settings-form.tsx";
import { formatCount, formatDate, nameOfArn, nameOfUrl } from "../format.ts";
import type { QueueView } from "./queue-view.ts";
import { redriveAllowInWords } from "./redrive-allow.ts";
import { hrefOf } from "../router.ts";
import { useAsync } from "../use-async.ts";
import { wholeNumber } from "../whole-number.ts";
import { parseJson } from "../json.ts";
import { ActionButton } from "../components/action-button.tsx";
import { useFocusRescue } from "../focus-rescue.ts";

const TASKS_REFRESH_MS = 1_000;

/**
 * The queue's own redrive policy, the queues that use it as their
 * dead-letter queue (ListDeadLetterSourceQueues), and the DLQ redrive:
 * StartMessageMoveTask, its progress from ListMessageMoveTasks, and
 * CancelMessageMoveTask.
 */
export function DeadLetterTab({ view }: { view: QueueView }) {
  const arn = view.attributes.QueueArn ?? "";
  const redrive = parseJson<{ deadLetterTargetArn: string; maxReceiveCount: number }>(
    view.attributes.RedrivePolicy,
  );
  const sources = useAsync(() => deadLetterSources(view.url), `sources:${view.url}`, 10_000);

  return (
    <>
      <h2>Redrive policy</h2>
      {redrive ? (
        <p>
          Messages received more than <strong>{redrive.maxReceiveCount}</strong> times move to{" "}
          <a
            href={hrefOf({
              page: "queue",
              name: nameOfArn(redrive.deadLetterTargetArn),
              tab: "dead-letter",
            })}
          >
            {nameOfArn(redrive.deadLetterTargetArn)}
          </a>
          .
        </p>
      ) : (
        <p>This queue has no dead-letter queue. Set one on the Edit tab.</p>
      )}
      <h2>Redrive allow policy</h2>
      <p>{redriveAllowInWords(view.attributes.RedriveAllowPolicy)}</p>
      <h2>Source queues</h2>
      <ErrorNote error={sources.error} />
      {sources.value === undefined ? null : sources.value.length === 0 ? (
        <p>No queue uses this queue as its dead-letter queue.</p>
      ) : (
        <>
          <ul class="sources">
            {sources.value.map((url) => (
              <li>
                <a href={hrefOf({ page: "queue", name: nameOfUrl(url), tab: "details" })}>
                  {nameOfUrl(url)}
                </a>
              </li>
            ))}
          </ul>
          <Redrive arn={arn} view={view} />
        </>
      )}
    </>
  );
}

/** Start DLQ redrive, and the move tasks of this queue with their progress. */
function Redrive({ arn, view }: { arn: string; view: QueueView }) {
  const tasks = useAsync(() => moveTasks(arn), `tasks:${arn}`, TASKS_REFRESH_MS);
  const queues = useAsync(listQueueEntries, "queues");
  const [destination, setDestination] = useState<"source" | "custom">("source");
  const [customArn, setCustomArn] = useState("");
  const [velocity, setVelocity] = useState<"optimized" | "custom">("optimized");
  const [perSecond, setPerSecond] = useState("10");
  const [error, setError] = useState<unknown>();
  const running = (tasks.value ?? []).find((task) => task.Status === "RUNNING");

  const start = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      // Without a destination, StartMessageMoveTask moves to the source queues.
      if (destination === "custom" && customArn === "") {
        throw new Error("Choose the destination queue, or redrive to the source queues.");
      }
      await startMoveTask(
        arn,
        destination === "custom" ? customArn : undefined,
        velocity === "custom"
          ? wholeNumber(perSecond, "Maximum messages per second", 1, 500)
          : undefined,
      );
      tasks.reload();
      view.reload();
    } catch (failure) {
      setError(failure);
    }
  };

  return (
    <>
      <h2>Start DLQ redrive</h2>
      <form onSubmit={start} class="redrive">
        <Radios
          name="redrive-destination"
          label="Redrive destination"
          value={destination}
          onChange={(value) => setDestination(value as "source" | "custom")}
          options={[
            ["source", "Redrive to source queue(s)"],
            ["custom", "Redrive to a custom destination"],
          ]}
        />
        {destination === "custom" ? (
          <Field id="redrive-to" label="Destination queue">
            <select
              id="redrive-to"
              value={customArn}
              onChange={(event) => setCustomArn(event.currentTarget.value)}
            >
              <option value="">Choose a queue</option>
              {(queues.value ?? [])
                .filter((queue) => queue.arn !== arn && queue.fifo === view.fifo)
                .map((queue) => (
                  <option value={queue.arn}>{queue.name}</option>
                ))}
            </select>
          </Field>
        ) : null}
        <Radios
          name="redrive-velocity"
          label="Velocity control"
          value={velocity}
          onChange={(value) => setVelocity(value as "optimized" | "custom")}
          options={[
            ["optimized", "System optimized"],
            ["custom", "Custom maximum rate"],
          ]}
        />
        {velocity === "custom" ? (
          <Field id="redrive-rate" label="Maximum messages per second (1 to 500)">
            <input
              id="redrive-rate"
              inputMode="numeric"
              value={perSecond}
              onInput={(event) => setPerSecond(event.currentTarget.value)}
            />
          </Field>
        ) : null}
        <ErrorNote error={error} />
        <ActionButton type="submit" class="primary" unavailable={running !== undefined}>
          Start DLQ redrive
        </ActionButton>
      </form>
      <h2>Redrive tasks</h2>
      <ErrorNote error={tasks.error} />
      {(tasks.value ?? []).length === 0 ? <p>No redrive yet.</p> : null}
      {(tasks.value ?? []).map((task) => (
        <TaskRow task={task} onCancelled={tasks.reload} />
      ))}
    </>
  );
}

function TaskRow({ task, onCancelled }: { task: MoveTaskReport; onCancelled: () => void }) {
  const [error, setError] = useState<unknown>();
  const toMove = task.ApproximateNumberOfMessagesToMove;
  const moved = task.ApproximateNumberOfMessagesMoved;
  // Cancel redrive goes with the task's run: its new status takes the focus.
  const summary = useRef<HTMLParagraphElement>(null);
  useFocusRescue(summary, task.Status);
  return (
    <div class="task" data-status={task.Status}>
      <p ref={summary}>
        {/* A live region of the status word alone: RUNNING to COMPLETED or
            CANCELLED is announced (WCAG 4.1.3), the counts of every second are not. */}
        <strong class="status" role="status">
          {task.Status}
        </strong>
        , started {formatDate(task.StartedTimestamp)} to{" "}
        {task.DestinationArn ? nameOfArn(task.DestinationArn) : "the source queues"}:{" "}
        <span class="moved">
          {formatCount(moved)}
          {toMove === undefined ? "" : ` of ${formatCount(toMove)}`} messages moved
        </span>
        {task.FailureReason ? ` (${task.FailureReason})` : ""}
      </p>
      <progress aria-label="Messages moved" max={Math.max(1, toMove ?? moved)} value={moved} />
      {task.Status === "RUNNING" && task.TaskHandle ? (
        <button
          type="button"
          onClick={() =>
            cancelMoveTask(task.TaskHandle!).then(onCancelled, (failure: unknown) =>
              setError(failure),
            )
          }
        >
          Cancel redrive
        </button>
      ) : null}
      <ErrorNote error={error} />
    </div>
  );
}
