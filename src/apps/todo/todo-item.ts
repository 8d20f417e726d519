/** One item of a user's todo list. Times are epoch ms. */
export interface TodoItem {
  readonly id: number;
  readonly title: string;
  readonly notes: string;
  /**
   * When it is due: `2026-12-24` (a whole day), `2026-12-24T15:30` (a local
   * time, no zone: calendar apps show it at that time wherever they are) or
   * `2026-12-24T15:30:00Z` / `...+10:00` (an instant); null for no date.
   */
  readonly due: string | null;
  readonly done: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The fields a person sets; any subset for an edit. */
export interface TodoFields {
  readonly title?: string;
  readonly notes?: string;
  readonly due?: string | null;
  readonly done?: boolean;
}

export const MAX_TITLE_LENGTH = 200;
export const MAX_NOTES_LENGTH = 1000;
/** Items per user: a whole list travels in one calendar job (an SQS message is at most 256 KiB). */
export const MAX_ITEMS_PER_USER = 100;
/**
 * A list's JSON, at most: 100 items of long titles and notes outside ASCII
 * (3 bytes a character in UTF-8) would be 360 KB. The rest of 256 KiB is
 * for the job's envelope and message attributes.
 */
export const MAX_LIST_BYTES = 250 * 1024;

const DUE_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A user id: what may stand in a URL path and a file name. */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/* eslint-disable no-control-regex -- finding control characters is their purpose */
/** Characters a calendar's text may not carry (RFC 5545 TEXT), and a title is one line. */
const ANY_CONTROL = /[\u0000-\u001f\u007f]/;
/** The same, but line breaks and tabs, which notes may hold. */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
/* eslint-enable no-control-regex */

/** `text` without the control characters an item may not hold (items stored before the rule). */
export function withoutControlCharacters(text: string, keepLines: boolean): string {
  const pattern = keepLines ? CONTROL_BUT_LINES : ANY_CONTROL;
  return pattern.test(text) ? text.replace(new RegExp(pattern.source, "g"), "") : text;
}

/**
 * Characters as people count them (code points): an emoji is one, though
 * it is two UTF-16 units in a JavaScript string's `length`.
 */
function characters(text: string): number {
  return [...text].length;
}

/** Reads the fields of a new item (`requireTitle`) or an edit from JSON or a form. */
export function parseTodoFields(
  input: unknown,
  { requireTitle }: { requireTitle: boolean },
): { ok: true; fields: TodoFields } | { ok: false; reason: string } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, reason: "expected an object with title, notes, due, done" };
  }
  const raw = input as Record<string, unknown>;
  const fields: { -readonly [K in keyof TodoFields]: TodoFields[K] } = {};
  if (raw.title !== undefined) {
    if (typeof raw.title !== "string" || raw.title.trim() === "") {
      return { ok: false, reason: "title must be a non-empty string" };
    }
    if (characters(raw.title.trim()) > MAX_TITLE_LENGTH) {
      return { ok: false, reason: `title must be at most ${MAX_TITLE_LENGTH} characters` };
    }
    if (ANY_CONTROL.test(raw.title)) {
      return { ok: false, reason: "title must be one line of text, without control characters" };
    }
    fields.title = raw.title.trim();
  } else if (requireTitle) {
    return { ok: false, reason: "title is missing" };
  }
  if (raw.notes !== undefined && raw.notes !== null) {
    if (typeof raw.notes !== "string") return { ok: false, reason: "notes must be a string" };
    if (CONTROL_BUT_LINES.test(raw.notes)) {
      return {
        ok: false,
        reason: "notes may hold line breaks and tabs, but no other control characters",
      };
    }
    // Browsers send a textarea's line breaks as CRLF.
    const notes = raw.notes.replace(/\r\n?/g, "\n");
    if (characters(notes) > MAX_NOTES_LENGTH) {
      return { ok: false, reason: `notes must be at most ${MAX_NOTES_LENGTH} characters` };
    }
    fields.notes = notes;
  }
  if (raw.due !== undefined) {
    if (raw.due === null || raw.due === "") fields.due = null;
    else if (typeof raw.due !== "string" || !isValidDue(raw.due)) {
      return {
        ok: false,
        reason: `due must be a date (2026-12-24) or a date and time (2026-12-24T15:30, optionally with Z or an offset); got ${JSON.stringify(raw.due)}`,
      };
    } else fields.due = raw.due;
  }
  if (raw.done !== undefined) {
    const done = parseDone(raw.done);
    if (done === undefined) return { ok: false, reason: "done must be true or false" };
    fields.done = done;
  }
  return { ok: true, fields };
}

/**
 * A real date (and time), with an offset of at most ±23:59, in the years
 * 1000 to 9998: what a calendar can carry as a four-digit year whatever the
 * offset (and JavaScript's `Date.UTC` reads years below 100 as 19xx).
 */
export function isValidDue(value: string): boolean {
  const match = DUE_PATTERN.exec(value);
  if (!match) return false;
  const [, year, month, day, hour = "0", minute = "0", second = "0", zone] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const offsetValid =
    zone === undefined ||
    zone === "Z" ||
    (Number(zone.slice(1, 3)) < 24 && Number(zone.slice(4, 6)) < 60);
  return (
    Number(year) >= 1000 &&
    Number(year) <= 9998 &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60 &&
    offsetValid &&
    Number.isFinite(new Date(value).getTime())
  );
}

/** The parts of a valid `due`, for the calendar. */
export function dueParts(due: string): {
  date: [number, number, number];
  time?: [number, number, number];
  zone?: string;
} {
  const [, year, month, day, hour, minute, second = "0", zone] = DUE_PATTERN.exec(due)!;
  return {
    date: [Number(year), Number(month), Number(day)],
    ...(hour === undefined ? {} : { time: [Number(hour), Number(minute), Number(second)] }),
    ...(zone === undefined ? {} : { zone }),
  };
}

function parseDone(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "on" || value === "1") return true;
  if (value === "false" || value === "off" || value === "0") return false;
  return undefined;
}
