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
 */
export function answerCalendar(
  calendar: StoredCalendar,
  request: { readonly ifNoneMatch?: string; readonly ifModifiedSince?: string },
): CalendarAnswer {
  const headers = {
    ETag: calendar.etag,
    "Last-Modified": new Date(calendar.renderedAt).toUTCString(),
    // Revalidate every time: a newer calendar may be a moment away.
    "Cache-Control": "no-cache",
  };
  if (request.ifNoneMatch !== undefined) {
    return { notModified: etagMatches(request.ifNoneMatch, calendar.etag), headers };
  }
  if (request.ifModifiedSince !== undefined) {
    const since = Date.parse(request.ifModifiedSince);
    const modified = Math.floor(calendar.renderedAt / 1000) * 1000;
    return { notModified: Number.isFinite(since) && modified <= since, headers };
  }
  return { notModified: false, headers };
}

function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  // Weak comparison, as If-None-Match asks: W/"x" matches "x".
  return header
    .split(",")
    .map((tag) => tag.trim().replace(/^W\//, ""))
    .includes(etag);
}
