import type { Timer } from "./clock.ts";
import { deadLetterSources, redriveMessage } from "./dead-letters.ts";
import type { EngineContext } from "./engine-context.ts";
import { SqsError, errors } from "./errors.ts";
import { parseClientJson } from "./json-nesting.ts";
import type { Queue } from "./queue.ts";
import type { MoveTaskReport, MoveTaskStatus } from "../wire-types.ts";

/** What a task is, without its timer: the part kept in the store. */
interface MoveTaskState {
  handle: string;
  status: MoveTaskStatus;
  sourceArn: string;
  destinationArn: string | undefined;
  ratePerSecond: number | undefined;
  moved: number;
  toMove: number;
  failureReason: string | undefined;
  startedAt: number;
  /** Counts the tasks started, so that tasks started in the same millisecond keep their order. */
  ordinal: number;
}

interface MoveTask extends MoveTaskState {
  timer: Timer | undefined;
}

/** How often a running task moves its next slice of messages. */
const TICK_MS = 100;
/** Messages moved per tick when no rate is given: fast, but never hogging the event loop. */
const UNLIMITED_PER_TICK = 1000;
const MAX_RATE = 500;
/** Tasks kept per source queue: as many as ListMessageMoveTasks can show (MaxResults 10). */
const KEPT_PER_SOURCE = 10;

/**
 * Message move tasks (dead-letter queue redrive): move the messages of a
 * dead-letter queue back to the queues they came from, or to a given queue,
 * in the background at an optional rate. One running task per source queue.
 * Every task is kept in the store after each change, so that the list
 * survives a restart and a running task carries on where it stopped.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
export class MoveTasks {
  /** Newest first, as ListMessageMoveTasks reports them. */
  private readonly tasks: MoveTask[] = [];
  private started = 0;

  constructor(private readonly ctx: EngineContext) {}

  /** Takes back the tasks of a restarted broker (store values) and resumes the running ones. */
  restore(storedValues: readonly string[]): void {
    const restored = storedValues.map((value): MoveTask => ({
      ...(JSON.parse(value) as MoveTaskState),
      timer: undefined,
    }));
    restored.sort((a, b) => b.ordinal - a.ordinal);
    for (const task of restored) {
      this.started = Math.max(this.started, task.ordinal);
      this.tasks.push(task);
      if (task.status === "RUNNING") this.schedule(task, 0);
    }
  }

  start(
    sourceArn: string,
    destinationArn: string | undefined,
    ratePerSecond: number | undefined,
  ): string {
    const source = this.ctx.queues.findByArn(sourceArn);
    if (!source) {
      throw new SqsError(
        "ResourceNotFoundException",
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    }
    if (deadLetterSources(this.ctx, source).length === 0) {
      throw new SqsError(
        "InvalidParameterValue",
        "Source queue must be configured as a Dead Letter Queue.",
      );
    }
    const destination =
      destinationArn === undefined ? undefined : this.ctx.queues.findByArn(destinationArn);
    if (destinationArn !== undefined && !destination) {
      throw new SqsError(
        "ResourceNotFoundException",
        "The resource that you specified for the DestinationArn parameter doesn't exist.",
      );
    }
    // "You can also configure any other queue as the redrive destination if
    // both queues are the same type" (SQS Developer Guide). AWS's wording of
    // the refusal is not recorded anywhere public; this one says what is wrong.
    if (destination && destination.fifo !== source.fifo) {
      throw errors.invalidParameter(
        "DestinationArn",
        destinationArn!,
        `The destination queue must be of the same type as the source queue (${source.fifo ? "FIFO" : "standard"}).`,
      );
    }
    if (
      ratePerSecond !== undefined &&
      (!Number.isInteger(ratePerSecond) || ratePerSecond < 1 || ratePerSecond > MAX_RATE)
    ) {
      throw errors.invalidParameter(
        "MaxNumberOfMessagesPerSecond",
        ratePerSecond,
        `Must be an integer between 1 and ${MAX_RATE}.`,
      );
    }
    if (this.tasks.some((t) => t.sourceArn === sourceArn && t.status === "RUNNING")) {
      throw new SqsError(
        "InvalidParameterValue",
        "There is already a task running. Only one active task is allowed for a source queue arn at a given time.",
      );
    }
    const now = this.ctx.clock.now();
    source.refresh(now);
    const taskId = this.ctx.ids.taskId();
    const task: MoveTask = {
      // AWS's handles are base64 of this very JSON; clients may decode them.
      handle: Buffer.from(JSON.stringify({ taskId, sourceArn })).toString("base64"),
      status: "RUNNING",
      sourceArn,
      destinationArn,
      ratePerSecond,
      moved: 0,
      toMove: source.visibleCount + source.inFlightCount + source.delayedCount,
      failureReason: undefined,
      startedAt: now,
      ordinal: ++this.started,
      timer: undefined,
    };
    this.tasks.unshift(task);
    this.save(task);
    // Older ones could never be listed again; the running one is the newest.
    this.tasks
      .filter((t) => t.sourceArn === sourceArn)
      .slice(KEPT_PER_SOURCE)
      .forEach((old) => this.forget(old));
    this.schedule(task, 0);
    return task.handle;
  }

  /**
   * Stops and forgets every task of a source queue being deleted, so that a
   * queue created again under its name (and ARN) starts with none.
   */
  forgetSource(sourceArn: string): void {
    this.tasks.filter((t) => t.sourceArn === sourceArn).forEach((task) => this.forget(task));
  }

  cancel(handle: string): number {
    const sourceArn = sourceOfHandle(handle);
    if (!this.ctx.queues.findByArn(sourceArn)) {
      throw new SqsError(
        "ResourceNotFoundException",
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    }
    const task = this.tasks.find((t) => t.handle === handle);
    if (!task) throw new SqsError("ResourceNotFoundException", "Task does not exist.");
    if (task.status !== "RUNNING") {
      throw new SqsError("UnsupportedOperation", "Only active tasks can be cancelled.");
    }
    task.timer?.cancel();
    task.status = "CANCELLED";
    this.save(task);
    return task.moved;
  }

  list(sourceArn: string, maxResults: number | undefined): MoveTaskReport[] {
    if (!this.ctx.queues.findByArn(sourceArn)) {
      throw new SqsError(
        "ResourceNotFoundException",
        "The resource that you specified for the SourceArn parameter doesn't exist.",
      );
    }
    const max = maxResults ?? 1;
    if (!Number.isInteger(max) || max < 1 || max > 10) {
      throw errors.invalidParameter("MaxResults", max, "Must be an integer between 1 and 10.");
    }
    return this.tasks
      .filter((t) => t.sourceArn === sourceArn)
      .slice(0, max)
      .map(report);
  }

  /** Stops every running task (the broker is closing). */
  stopAll(): void {
    for (const task of this.tasks) task.timer?.cancel();
  }

  private schedule(task: MoveTask, delayMs: number): void {
    task.timer = this.ctx.clock.setTimer(delayMs, () => this.step(task));
  }

  /** Moves one slice, then plans the next or finishes. */
  private step(task: MoveTask): void {
    task.timer = undefined;
    if (task.status !== "RUNNING") return;
    const source = this.ctx.queues.findByArn(task.sourceArn);
    if (!source) return this.fail(task, "AWS.SimpleQueueService.NonExistentQueue");
    const now = this.ctx.clock.now();
    source.refresh(now);
    const slice = task.ratePerSecond ? sliceFor(task.ratePerSecond) : UNLIMITED_PER_TICK;
    const movedBefore = task.moved;
    try {
      for (let i = 0; i < slice && task.moved < task.toMove; i++) {
        const message = source.pullVisible();
        if (!message) break;
        const target = this.destinationFor(task, message.deadLetterSourceArn);
        if (!target) {
          // Nowhere to go: it stays where it was, receivable as before.
          source.putBack(message);
          return this.fail(task, "AWS.SimpleQueueService.NonExistentQueue");
        }
        redriveMessage(this.ctx, source, target, message, now);
        task.moved++;
      }
    } finally {
      source.endTake();
    }
    if (task.moved >= task.toMove || source.visibleCount === 0) task.status = "COMPLETED";
    const idle = task.status === "RUNNING" && task.moved === movedBefore;
    // Nothing to take (a FIFO group locked by a message in flight): nothing to
    // save, and the next look a tick later rather than at once, in a loop.
    if (!idle) this.save(task);
    if (task.status !== "RUNNING") return;
    this.schedule(task, idle ? TICK_MS : task.ratePerSecond ? intervalFor(task.ratePerSecond) : 0);
  }

  private destinationFor(task: MoveTask, originalSourceArn: string | undefined): Queue | undefined {
    const arn = task.destinationArn ?? originalSourceArn;
    return arn === undefined ? undefined : this.ctx.queues.findByArn(arn);
  }

  private fail(task: MoveTask, reason: string): void {
    task.status = "FAILED";
    task.failureReason = reason;
    this.save(task);
  }

  private forget(task: MoveTask): void {
    task.timer?.cancel();
    task.timer = undefined;
    task.status = "CANCELLED"; // not RUNNING: a step already under way stops
    this.tasks.splice(this.tasks.indexOf(task), 1);
    this.ctx.store.putEngineRecord("move-task", task.handle, undefined);
  }

  private save({ timer: _timer, ...state }: MoveTask): void {
    this.ctx.store.putEngineRecord("move-task", state.handle, JSON.stringify(state));
  }
}

/** How long between slices at a given rate: 100 ms, or longer for rates under 10/s. */
function intervalFor(ratePerSecond: number): number {
  return Math.max(TICK_MS, Math.floor(1000 / ratePerSecond));
}

function sliceFor(ratePerSecond: number): number {
  return Math.max(1, Math.round((ratePerSecond * intervalFor(ratePerSecond)) / 1000));
}

/** The source ARN inside a task handle; anything else is not a handle. */
function sourceOfHandle(handle: string): string {
  try {
    const parsed = parseClientJson(Buffer.from(handle, "base64").toString("utf8")) as {
      sourceArn?: unknown;
    };
    if (typeof parsed.sourceArn === "string") return parsed.sourceArn;
  } catch {
    // not base64 JSON: fall through
  }
  throw new SqsError("InvalidParameterValue", "Value for parameter TaskHandle is invalid.");
}

function report(task: MoveTask): MoveTaskReport {
  const out: MoveTaskReport = {
    Status: task.status,
    SourceArn: task.sourceArn,
    ApproximateNumberOfMessagesMoved: task.moved,
    ApproximateNumberOfMessagesToMove: task.toMove,
    StartedTimestamp: task.startedAt,
  };
  if (task.status === "RUNNING") out.TaskHandle = task.handle;
  if (task.destinationArn) out.DestinationArn = task.destinationArn;
  if (task.ratePerSecond) out.MaxNumberOfMessagesPerSecond = task.ratePerSecond;
  if (task.failureReason) out.FailureReason = task.failureReason;
  return out;
}
