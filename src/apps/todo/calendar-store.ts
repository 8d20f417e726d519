import { createHash } from "node:crypto";

/** A rendered calendar as stored. */
export interface StoredCalendar {
  readonly userId: string;
  /** The list version it shows. */
  readonly version: number;
  readonly ics: string;
  /** When it was stored, epoch ms. */
  readonly renderedAt: number;
  /** A strong HTTP entity tag of `ics`. */
  readonly etag: string;
}

/**
 * Where workers put rendered calendars and the web app finds them: a local
 * folder or an S3 bucket. Each version is its own file or object
 * (`<userId>/<version>.ics`) and the newest one is the calendar, so two
 * workers finishing out of order never put an older calendar over a newer
 * one, with no compare-and-swap the store would need to offer.
 */
export interface CalendarStore {
  /** `folder` or `S3`, and where, for messages. */
  readonly kind: string;
  readonly location: string;
  /** Stores version `version` of the user's calendar, then drops older versions. */
  put(userId: string, version: number, ics: string): Promise<void>;
  /** The newest stored calendar of the user; `undefined` when none was rendered yet. */
  latest(userId: string): Promise<StoredCalendar | undefined>;
  close(): Promise<void>;
}

/** Versions are zero-padded in names so that lexical order is numeric order (S3 lists lexically). */
export function versionName(version: number): string {
  return `${String(version).padStart(12, "0")}.ics`;
}

/** The version in a file or key name; `undefined` for anything else. */
export function versionOf(name: string): number | undefined {
  const match = /^(\d{12})\.ics$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function calendarEtag(ics: string): string {
  return `"${createHash("sha256").update(ics).digest("base64url").slice(0, 27)}"`;
}
