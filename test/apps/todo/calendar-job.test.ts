import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PermanentJobError } from "../../../src/apps/jobs/task-registry.ts";
import { parseCalendarPayload } from "../../../src/apps/todo/calendar-job.ts";

const item = {
  id: 1,
  title: "Pack",
  notes: "",
  due: "2027-01-11",
  done: false,
  createdAt: 1,
  updatedAt: 2,
};
const payload = { userId: "alice", version: 3, changedAt: 2, items: [item] };

describe("parseCalendarPayload", () => {
  it("takes a list as the app sends it, version 0 too (a render asked for before any change)", () => {
    assert.deepEqual(parseCalendarPayload(payload), payload);
    assert.equal(parseCalendarPayload({ ...payload, version: 0, items: [] }).version, 0);
  });

  // Each goes to the dead-letter queue at once with its reason, instead of 5 attempts
  // (or a "success" writing a file that is never served)
  for (const [what, bad, reason] of [
    ["a user id that is a path", { ...payload, userId: "../x" }, /"\.\.\/x" is not a user id/],
    ["an empty user id", { ...payload, userId: "" }, /is not a user id/],
    ["a version with a fraction", { ...payload, version: 1.5 }, /version 1\.5 is not a whole/],
    ["a negative version", { ...payload, version: -1 }, /version -1 is not a whole/],
    ["a version past 12 digits", { ...payload, version: 1e12 }, /is not a whole number from 0/],
    ["a null item", { ...payload, items: [item, null] }, /item 1 is not/],
    ["an item without a title", { ...payload, items: [{ ...item, title: undefined }] }, /item 0/],
    ["an item with a numeric due", { ...payload, items: [{ ...item, due: 20270111 }] }, /item 0/],
    ["no items", { ...payload, items: undefined }, /expected \{userId/],
  ] as const) {
    it(`refuses ${what} as a permanent error`, () => {
      assert.throws(
        () => parseCalendarPayload(bad),
        (error: unknown) => error instanceof PermanentJobError && reason.test(error.message),
      );
    });
  }
});
