import { ICalCalendar, ICalEventTransparency } from "ical-generator";
import { dueParts, isValidDue, withoutControlCharacters } from "./todo-item.ts";
import type { TodoItem } from "./todo-item.ts";
import type { TodoList } from "./todo-store.ts";

/** A timed item is shown as an event this long. */
const TIMED_EVENT_MS = 60 * 60 * 1000;

/** The UID of an item's event: stable across renders, so calendar apps update it in place. */
export function itemUid(userId: string, itemId: number): string {
  return `todo-${itemId}-${userId}@mailroom`;
}

/**
 * A user's list as an RFC 5545 iCalendar (ical-generator): one VEVENT per
 * item with a due date, all-day for a date, at its time for a date and
 * time (floating when it names no zone). Items without a due date have no
 * place in a calendar and are left out, and so is a due date the app no
 * longer accepts (stored before it checked offsets and years): one such
 * item must not stop the user's calendar from ever rendering again. A done item's summary starts with
 * "✓ " and it is marked free time and `X-MAILROOM-DONE:TRUE`.
 *
 * The output depends on the list alone (DTSTAMP is the item's last change,
 * not the render time), so rendering one version twice gives the same bytes.
 */
export function renderCalendar(list: TodoList): string {
  const calendar = new ICalCalendar({
    name: `Todo list of ${list.userId}`,
    prodId: { company: "mailroom", product: "todo", language: "EN" },
    x: [{ key: "X-MAILROOM-VERSION", value: String(list.version) }],
  });
  for (const item of list.items) {
    if (item.due === null || !isValidDue(item.due)) continue;
    calendar.createEvent({
      id: itemUid(list.userId, item.id),
      summary: `${item.done ? "✓ " : ""}${withoutControlCharacters(item.title, false)}`,
      ...(item.notes === "" ? {} : { description: withoutControlCharacters(item.notes, true) }),
      stamp: new Date(item.updatedAt),
      created: new Date(item.createdAt),
      lastModified: new Date(item.updatedAt),
      ...timing(item.due),
      ...(item.done ? { transparency: ICalEventTransparency.TRANSPARENT } : {}),
      x: [{ key: "X-MAILROOM-DONE", value: item.done ? "TRUE" : "FALSE" }],
    });
  }
  // Every content line ends in CRLF (RFC 5545 3.1), the last one too.
  const text = calendar.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}

function timing(due: NonNullable<TodoItem["due"]>) {
  const { date, time, zone } = dueParts(due);
  const [year, month, day] = date;
  if (time === undefined) {
    return { start: new Date(Date.UTC(year, month - 1, day)), allDay: true };
  }
  if (zone !== undefined) {
    const start = new Date(due);
    return { start, end: new Date(start.getTime() + TIMED_EVENT_MS) };
  }
  // No zone: a floating time, the same wall-clock time in every zone.
  const start = new Date(Date.UTC(year, month - 1, day, ...time));
  return { start, end: new Date(start.getTime() + TIMED_EVENT_MS), floating: true };
}
