import type { Logger } from "pino";
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

/** A calendar job as the API shows it right after a change. */
export type CalendarJobLink =
  { readonly id: string; readonly status: string } | { readonly error: string };

/** Enqueues a user's calendar job after each change. */
export class CalendarJobs {
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
   * (for the debounce; none for a render on demand). A failure is
   * logged and returned, not thrown: the change itself is saved, and the
   * next change or `POST /users/<id>/calendar` enqueues again.
   */
  async enqueue(list: TodoList, previousChangedAt?: number): Promise<CalendarJobLink> {
    const { coalescing } = this.options;
    const gapMs = previousChangedAt ? list.changedAt - previousChangedAt : undefined;
    try {
      const { id } = await this.options.jobs.enqueue(CALENDAR_TASK, list, {
        ...(coalescing.coalesce
          ? {
              coalesce: { key: calendarCoalesceKey(list.userId), version: list.version },
              delayMs: debounceDelayMs(coalescing, gapMs),
            }
          : {}),
      });
      this.options.store.setCalendarJob(list.userId, id);
      return { id, status: `/jobs/${encodeURIComponent(id)}` };
    } catch (error) {
      this.options.logger.error(
        { err: error, userId: list.userId },
        "cannot enqueue a calendar job",
      );
      return {
        error: `the calendar will not be rendered for this change: ${(error as Error).message}`,
      };
    }
  }
}
