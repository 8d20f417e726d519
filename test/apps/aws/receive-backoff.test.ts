import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { receiveBackoffMs } from "../../../src/apps/aws/receive-backoff.ts";

describe("receiveBackoffMs: the pause after failed receives", () => {
  it("doubles from half a second and never waits longer than one long poll (20 s)", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 7, 50].map(receiveBackoffMs),
      [500, 1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000],
    );
  });
});
