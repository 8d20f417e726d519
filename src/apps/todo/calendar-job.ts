import { PermanentJobError } from "../jobs/task-registry.ts";
import { USER_ID_PATTERN } from "./todo-item.ts";
import type { TodoItem } from "./todo-item.ts";
import type { TodoList } from "./todo-store.ts";

/** The task that renders a user's calendar. */
export const CALENDAR_TASK = "todo.render-calendar";

/**
 * A calendar job's payload: the user's whole list at one version, so a worker
 * needs nothing but the job to render it (no access to the app's database).
 */
export type CalendarJobPayload = TodoList;

/** What a calendar's file name holds (12 digits); 0 is a list with no change yet. */
const MAX_VERSION = 999_999_999_999;

/** Calendar jobs of one user are versions of one piece of work: the newest is enough. */
export function calendarCoalesceKey(userId: string): string {
  return `calendar:${userId}`;
}

/**
 * The payload of a calendar job, or a permanent error naming what is wrong
 * (no retry fixes a bad payload: it goes to the dead-letter queue at once).
 * The user id becomes a folder or key name and the version a file name, so
 * both are checked as the app makes them.
 */
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
  if (!USER_ID_PATTERN.test(payload.userId)) {
    throw new PermanentJobError(
      `not a calendar job: ${JSON.stringify(payload.userId)} is not a user id`,
    );
  }
  if (
    !Number.isSafeInteger(payload.version) ||
    payload.version < 0 ||
    payload.version > MAX_VERSION
  ) {
    throw new PermanentJobError(
      `not a calendar job: version ${payload.version} is not a whole number from 0 to ${MAX_VERSION}`,
    );
  }
  const bad = payload.items.findIndex((item) => !isItem(item));
  if (bad >= 0) {
    throw new PermanentJobError(
      `not a calendar job: item ${bad} is not {id, title, notes, due, done, createdAt, updatedAt}`,
    );
  }
  return payload as CalendarJobPayload;
}

function isItem(value: unknown): value is TodoItem {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const item = value as Record<string, unknown>;
  return (
    Number.isSafeInteger(item.id) &&
    typeof item.title === "string" &&
    typeof item.notes === "string" &&
    (item.due === null || typeof item.due === "string") &&
    typeof item.done === "boolean" &&
    Number.isFinite(item.createdAt) &&
    Number.isFinite(item.updatedAt)
  );
}
