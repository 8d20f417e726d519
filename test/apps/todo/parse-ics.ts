import ICAL from "ical.js";

/** An event as an independent parser (ical.js) reads it back. */
export interface ParsedEvent {
  uid: string;
  summary: string;
  description: string | null;
  /** `2026-12-24` for a date, `2026-12-24T15:30:00` for a floating time, with `Z` for UTC. */
  start: string;
  allDay: boolean;
  done: string | null;
  transparent: boolean;
}

/** The calendar's name, version property and events, parsed with ical.js (not the renderer). */
export function parseIcs(text: string): {
  name: string | null;
  version: string | null;
  events: ParsedEvent[];
} {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    const start = event.startDate;
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description ?? null,
      start: start.toString(),
      allDay: start.isDate,
      done: (component.getFirstPropertyValue("x-mailroom-done") as string | null) ?? null,
      transparent: component.getFirstPropertyValue("transp") === "TRANSPARENT",
    };
  });
  return {
    name: (calendar.getFirstPropertyValue("x-wr-calname") as string | null) ?? null,
    version: (calendar.getFirstPropertyValue("x-mailroom-version") as string | null) ?? null,
    events,
  };
}
