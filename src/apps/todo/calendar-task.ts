import { setTimeout as sleep } from "node:timers/promises";
import type { TaskHandler } from "../jobs/task-registry.ts";
import { parseCalendarPayload } from "./calendar-job.ts";
import type { CalendarStore } from "./calendar-store.ts";
import { calendarEtag } from "./calendar-store.ts";
import { renderCalendar } from "./render-calendar.ts";

export interface CalendarTaskOptions {
  readonly store: CalendarStore;
  /**
   * Extra time each render takes, ms, to stand for a slow renderer (the
   * practical's task sleeps) and to catch a worker mid-job. Default 0.
   */
  readonly renderDelayMs?: number;
  /** Share (0-1) of renders that fail on purpose, to watch retries and the dead-letter queue. Default 0. */
  readonly failRate?: number;
  readonly random?: () => number;
}

/** What a calendar job's record holds once it succeeded. */
export interface CalendarJobResult {
  readonly userId: string;
  readonly version: number;
  readonly events: number;
  readonly bytes: number;
  readonly etag: string;
}

/** The worker's calendar task: renders the list in the job and stores the calendar. */
export function calendarTask(options: CalendarTaskOptions): TaskHandler {
  const random = options.random ?? Math.random;
  return async (payload, context): Promise<CalendarJobResult> => {
    const list = parseCalendarPayload(payload);
    if (options.renderDelayMs) await sleep(options.renderDelayMs);
    if (options.failRate && random() < options.failRate) {
      throw new Error("the calendar renderer failed on purpose (--fail-rate)");
    }
    const ics = renderCalendar(list);
    await options.store.put(list.userId, list.version, ics);
    context.logger.debug({ userId: list.userId, version: list.version }, "calendar rendered");
    return {
      userId: list.userId,
      version: list.version,
      events: list.items.filter((item) => item.due !== null).length,
      bytes: Buffer.byteLength(ics),
      etag: calendarEtag(ics),
    };
  };
}
