import type { Logger } from "pino";
import { JobQueueError } from "../jobs/job-error.ts";
import type { JobQueue } from "../jobs/job-queue.ts";
import { CALENDAR_TASK, calendarCoalesceKey } from "./calendar-job.ts";
import type { TodoList, TodoStore } from "./todo-store.ts";

/** How calendar jobs are enqueued: coalesced (the default) or one render per change. */
export interface CoalescingOptions {
  /**
   * Give each job the user's list version under the key `calendar:<user>`,
   * so workers skip a job once a newer one is enqueued. Default true.
   */
  readonly coalesce: boolean;
  /**
   * The shortest wait of a job before a worker may start it. Default 250 ms.
   * The wait stretches with the user's pace (see {@link debounceDelayMs}),
   * so a burst of changes ends up in its last job alone.
   */
  readonly debounceMs: number;
  /** The longest wait. Default 600 ms: with a busy worker's delay, within the 1 s freshness target. */
  readonly maxDebounceMs: number;
}

export const DEFAULT_COALESCING: CoalescingOptions = {
  coalesce: true,
  debounceMs: 250,
  maxDebounceMs: 600,
};

/** How much longer than the user's last gap between changes a job waits for the next one. */
const PACE_FACTOR = 2.5;

/**
 * How long a calendar job waits before it may run: 2.5 times the time since
 * the user's previous change, within [debounceMs, maxDebounceMs]; the
 * shortest wait when the previous change is older than the longest wait (a
 * first change, or one after a pause). The next change of a burst then
 * usually comes before the job runs and supersedes it, whether the user
 * ticks every 50 ms or every 400 ms (a busy server answers slowly, and
 * people click slowly too), even when one gap is twice the one before it
 * (1.5 was measured too tight: gaps of 118 ms then 264 ms rendered in
 * between). A burst costs one render, two when its first change ran before
 * the second came. See docs/todo.md.
 */
export function debounceDelayMs(options: CoalescingOptions, gapMs: number | undefined): number {
  const { debounceMs, maxDebounceMs } = options;
  if (gapMs === undefined || gapMs < 0 || gapMs > maxDebounceMs) return debounceMs;
  return Math.round(Math.min(maxDebounceMs, Math.max(debounceMs, PACE_FACTOR * gapMs)));
}

/** `250-600 ms`, or `250 ms` when both bounds are one. */
export function debounceText({ debounceMs, maxDebounceMs }: CoalescingOptions): string {
  return maxDebounceMs > debounceMs ? `${debounceMs}-${maxDebounceMs} ms` : `${debounceMs} ms`;
}

/**
 * A calendar job as the API shows it right after a change. When SQS did
 * not take it, `error` says why, and `id` names the failed job when it has
 * one: the app keeps enqueueing the user's latest change in the background.
 */
export type CalendarJobLink =
  | { readonly id: string; readonly status: string }
  | { readonly id?: string; readonly status?: string; readonly error: string };

/** A change whose job SQS did not take is enqueued again this long after, doubling to the cap. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * Enqueues a user's calendar job after each change, and, when SQS does not
 * take one, the user's latest list again in the background until it does:
 * a job carries the whole list, so only the latest version matters, and
 * the calendar catches up once SQS is back without another change.
 */
export class CalendarJobs {
  /** Users whose latest change has no job in the queue, with that change's version. */
  private readonly unqueued = new Map<string, number>();
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private retrying: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly options: {
      readonly jobs: JobQueue;
      readonly store: TodoStore;
      readonly coalescing: CoalescingOptions;
      readonly logger: Logger;
    },
  ) {}

  /**
   * Enqueues a render of `list` (the state of one version), after the
   * change made at `list.changedAt` that followed one at `previousChangedAt`
   * (for the debounce; none for a render on demand). A failure is logged
   * and returned, not thrown: the change itself is saved, and the user's
   * latest list is enqueued again in the background.
   */
  async enqueue(list: TodoList, previousChangedAt?: number): Promise<CalendarJobLink> {
    try {
      const id = await this.send(list, previousChangedAt);
      return { id, status: jobPath(id) };
    } catch (error) {
      this.options.logger.error(
        { err: error, userId: list.userId },
        "cannot enqueue a calendar job; the app tries again in the background",
      );
      this.unqueued.set(list.userId, Math.max(list.version, this.unqueued.get(list.userId) ?? 0));
      this.scheduleRetry();
      const failedId = error instanceof JobQueueError ? error.jobIds[0] : undefined;
      return {
        ...(failedId === undefined ? {} : { id: failedId, status: jobPath(failedId) }),
        error: `the calendar job was not enqueued (${(error as Error).message}); the app enqueues the latest change again until the queue takes it`,
      };
    }
  }

  /**
   * Stops the background retries (what is left is enqueued by the user's
   * next change). A round under way is not waited for: its call to an SQS
   * that does not answer could hold the app's stop for good; closing the
   * SQS client ends it, and a closed CalendarJobs records nothing more.
   */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
  }

  /**
   * One job for `list`, linked as the user's last job whether SQS took it
   * or not: the page and `GET /users/<id>/calendar` then show why a
   * calendar is behind. Throws when SQS did not take it.
   */
  private async send(list: TodoList, previousChangedAt?: number): Promise<string> {
    const { coalescing, store } = this.options;
    const gapMs = previousChangedAt ? list.changedAt - previousChangedAt : undefined;
    let id: string;
    try {
      ({ id } = await this.options.jobs.enqueue(CALENDAR_TASK, list, {
        ...(coalescing.coalesce
          ? {
              coalesce: { key: calendarCoalesceKey(list.userId), version: list.version },
              delayMs: debounceDelayMs(coalescing, gapMs),
            }
          : {}),
      }));
    } catch (error) {
      const failedId = error instanceof JobQueueError ? error.jobIds[0] : undefined;
      if (failedId !== undefined && !this.closed) store.setCalendarJob(list.userId, failedId);
      throw error;
    }
    // SQS has it: nothing below may count as a refusal (the store is closed once the app stops).
    if (this.closed) return id;
    store.setCalendarJob(list.userId, id);
    if ((this.unqueued.get(list.userId) ?? Infinity) <= list.version) {
      this.unqueued.delete(list.userId);
    }
    return id;
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer || this.retrying || this.unqueued.size === 0) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.retrying = this.retry().finally(() => {
        this.retrying = undefined;
        this.scheduleRetry();
      });
    }, this.retryMs);
    this.retryTimer.unref();
  }

  /**
   * One round: each waiting user's latest list, read now. The first refusal
   * ends the round (SQS is still away: one failed job a round, not one a
   * user) and doubles the wait; a round that enqueues them all resets it.
   */
  private async retry(): Promise<void> {
    for (const userId of [...this.unqueued.keys()]) {
      if (this.closed) return;
      try {
        const id = await this.send(this.options.store.list(userId));
        this.options.logger.info({ userId, jobId: id }, "enqueued a calendar job SQS had refused");
      } catch (error) {
        if (this.closed) return;
        this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
        this.options.logger.warn(
          { err: error, userId, retryInMs: this.retryMs },
          "still cannot enqueue a calendar job; trying again later",
        );
        return;
      }
    }
    this.retryMs = RETRY_FIRST_MS;
  }
}

function jobPath(id: string): string {
  return `/jobs/${encodeURIComponent(id)}`;
}
