import { PermanentJobError } from "../jobs/task-registry.ts";
import type { TodoList } from "./todo-store.ts";

/** The task that renders a user's calendar. */
export const CALENDAR_TASK = "todo.render-calendar";

/**
 * A calendar job's payload: the user's whole list at one version, so a worker
 * needs nothing but the job to render it (no access to the app's database).
 */
export type CalendarJobPayload = TodoList;

/** Calendar jobs of one user are versions of one piece of work: the newest is enough. */
export function calendarCoalesceKey(userId: string): string {
  return `calendar:${userId}`;
}

/** The payload of a calendar job, or a permanent error (no retry fixes a bad payload). */
export function parseCalendarPayload(value: unknown): CalendarJobPayload {
  const payload = value as Partial<CalendarJobPayload> | null;
  if (
    typeof payload !== "object" ||
    payload === null ||
    typeof payload.userId !== "string" ||
    typeof payload.version !== "number" ||
    typeof payload.changedAt !== "number" ||
    !Array.isArray(payload.items)
  ) {
    throw new PermanentJobError("not a calendar job: expected {userId, version, changedAt, items}");
  }
  return payload as CalendarJobPayload;
}
