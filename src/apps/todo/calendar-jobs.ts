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
   * Each job waits this long before a worker may start it, so a burst of
   * changes ends up in the last job alone. Default 250 ms (see docs/todo.md).
   */
  readonly debounceMs: number;
}

export const DEFAULT_COALESCING: CoalescingOptions = { coalesce: true, debounceMs: 250 };

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
   * Enqueues a render of `list` (the state of one version). A failure is
   * logged and returned, not thrown: the change itself is saved, and the
   * next change or `POST /users/<id>/calendar` enqueues again.
   */
  async enqueue(list: TodoList): Promise<CalendarJobLink> {
    const { coalesce, debounceMs } = this.options.coalescing;
    try {
      const { id } = await this.options.jobs.enqueue(CALENDAR_TASK, list, {
        ...(coalesce
          ? {
              coalesce: { key: calendarCoalesceKey(list.userId), version: list.version },
              delayMs: debounceMs,
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
