import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomUuid } from "../../../src/broker/engine/ids.ts";

describe("randomUuid", () => {
  it("makes version 4 UUIDs, all different, across many draws of random bytes", () => {
    const ids = Array.from({ length: 10_000 }, () => randomUuid());
    for (const id of ids) {
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    assert.equal(new Set(ids).size, ids.length);
  });

  it("uses every hex digit in every free position", () => {
    const ids = Array.from({ length: 2_000 }, () => randomUuid());
    for (const position of [0, 9, 15, 20, 35]) {
      const digits = new Set(ids.map((id) => id[position]));
      assert.equal(digits.size, 16, `position ${position}: ${[...digits].sort().join("")}`);
    }
  });
});
