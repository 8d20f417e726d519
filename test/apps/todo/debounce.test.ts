import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DEFAULT_COALESCING,
  debounceDelayMs,
  debounceText,
} from "../../../src/apps/todo/calendar-jobs.ts";

describe("the calendar job's debounce", () => {
  it("waits the shortest time after a first change or a pause", () => {
    assert.equal(debounceDelayMs(DEFAULT_COALESCING, undefined), 250);
    assert.equal(debounceDelayMs(DEFAULT_COALESCING, 60_000), 250);
    assert.equal(debounceDelayMs(DEFAULT_COALESCING, 601), 250);
  });

  it("stretches to 2.5 times the user's last gap within a burst, up to the longest wait", () => {
    assert.equal(debounceDelayMs(DEFAULT_COALESCING, 50), 250);
    assert.equal(debounceDelayMs(DEFAULT_COALESCING, 118), 295);
    assert.equal(debounceDelayMs(DEFAULT_COALESCING, 200), 500);
    assert.equal(debounceDelayMs(DEFAULT_COALESCING, 400), 600);
  });

  it("is a fixed wait when both bounds are one", () => {
    const fixed = { coalesce: true, debounceMs: 300, maxDebounceMs: 300 };
    assert.equal(debounceDelayMs(fixed, 200), 300);
    assert.equal(debounceText(fixed), "300 ms");
    assert.equal(debounceText(DEFAULT_COALESCING), "250-600 ms");
  });
});
