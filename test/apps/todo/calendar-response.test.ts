import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerCalendar } from "../../../src/apps/todo/calendar-response.ts";
import type { StoredCalendar } from "../../../src/apps/todo/calendar-store.ts";

describe("answerCalendar: conditional GETs of a calendar", () => {
  const renderedAt = Date.UTC(2026, 11, 7, 3, 43, 41, 200);
  const calendar = { etag: '"v1"', renderedAt } as StoredCalendar;
  const httpDate = (ms: number) => new Date(ms).toUTCString();

  it("gives no Last-Modified, and believes no If-Modified-Since, during the render's own second", () => {
    // A newer calendar rendered later in this second would share the date
    const now = renderedAt + 500;
    const fresh = answerCalendar(calendar, { ifModifiedSince: httpDate(renderedAt) }, now);
    assert.equal(fresh.headers["Last-Modified"], undefined);
    assert.equal(fresh.notModified, false);
    assert.equal(fresh.headers.ETag, '"v1"');
  });

  it("answers 304 for a date at or after the render's second once it has passed", () => {
    const now = renderedAt + 5_000;
    const settled = answerCalendar(calendar, {}, now);
    assert.equal(settled.headers["Last-Modified"], "Mon, 07 Dec 2026 03:43:41 GMT");
    assert.equal(
      answerCalendar(calendar, { ifModifiedSince: httpDate(renderedAt) }, now).notModified,
      true,
    );
    assert.equal(
      answerCalendar(calendar, { ifModifiedSince: httpDate(renderedAt - 1_000) }, now).notModified,
      false,
    );
  });

  it("ignores a date in the future and text that is not an HTTP date", () => {
    const now = renderedAt + 5_000;
    for (const ifModifiedSince of [httpDate(now + 60_000), "2030", "yesterday"]) {
      assert.equal(
        answerCalendar(calendar, { ifModifiedSince }, now).notModified,
        false,
        ifModifiedSince,
      );
    }
  });

  it("reads an asctime date as GMT, whatever the machine's zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      const now = renderedAt + 5_000;
      // The render's second, in asctime form: 5 hours early if read in New York
      const ifModifiedSince = "Mon Dec  7 03:43:41 2026";
      assert.equal(answerCalendar(calendar, { ifModifiedSince }, now).notModified, true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("lets If-None-Match decide when both are sent", () => {
    const now = renderedAt + 5_000;
    const ifModifiedSince = httpDate(renderedAt);
    assert.equal(
      answerCalendar(calendar, { ifNoneMatch: '"v0"', ifModifiedSince }, now).notModified,
      false,
    );
    assert.equal(answerCalendar(calendar, { ifNoneMatch: 'W/"v1"' }, now).notModified, true);
  });
});
