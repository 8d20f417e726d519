import type { StoredCalendar } from "./calendar-store.ts";

/** What to answer for a calendar: its headers, and whether the client's copy is current (304). */
export interface CalendarAnswer {
  readonly notModified: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Conditional GET of a calendar (RFC 9110 13.1): `If-None-Match` decides
 * when present (a list of tags, or `*`), else `If-Modified-Since` at the
 * second (HTTP dates have no finer grain). Calendar apps poll their
 * subscriptions; a 304 costs them and us no body.
 *
 * A whole second is coarse: a newer calendar rendered in the same second
 * as the one a client holds would pass its `If-Modified-Since`. So while
 * the render's second is still running (`now`), no `Last-Modified` is given
 * and no `If-Modified-Since` believed: a client never holds a date that a
 * later render could share. A date in the future, or text that is not an
 * HTTP date, is ignored, as RFC 9110 asks.
 */
export function answerCalendar(
  calendar: StoredCalendar,
  request: { readonly ifNoneMatch?: string; readonly ifModifiedSince?: string },
  now: number,
): CalendarAnswer {
  const second = (ms: number) => Math.floor(ms / 1000) * 1000;
  const settled = second(now) > second(calendar.renderedAt);
  const headers = {
    ETag: calendar.etag,
    ...(settled ? { "Last-Modified": new Date(calendar.renderedAt).toUTCString() } : {}),
    // Revalidate every time: a newer calendar may be a moment away.
    "Cache-Control": "no-cache",
  };
  if (request.ifNoneMatch !== undefined) {
    return { notModified: etagMatches(request.ifNoneMatch, calendar.etag), headers };
  }
  if (request.ifModifiedSince !== undefined && settled) {
    const since = httpDate(request.ifModifiedSince);
    const believable = Number.isFinite(since) && since <= now;
    return { notModified: believable && second(calendar.renderedAt) <= since, headers };
  }
  return { notModified: false, headers };
}

/** The IMF-fixdate and obsolete RFC 850 forms of an HTTP date, and the asctime form (in GMT, unmarked). */
const GMT_DATE = /^[A-Za-z]{3,9}, .*\d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME_DATE = /^[A-Za-z]{3} [A-Za-z]{3} .*\d{2}:\d{2}:\d{2} \d{4}$/;

/** Epoch ms of an HTTP date, or NaN for anything else. */
function httpDate(text: string): number {
  if (GMT_DATE.test(text)) return Date.parse(text);
  // JavaScript would read an asctime date in the machine's zone.
  if (ASCTIME_DATE.test(text)) return Date.parse(`${text} GMT`);
  return NaN;
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  // Weak comparison, as If-None-Match asks: W/"x" matches "x".
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .includes(etag);
}
