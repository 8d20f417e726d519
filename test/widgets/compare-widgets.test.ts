import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareWidgets, sameWidget } from "../../src/widgets/compare-widgets.ts";
import type { Widget } from "../../src/widgets/widget.ts";

const expected: Widget = {
  id: "w1",
  owner: "Mary Matthews",
  label: "A",
  description: null,
  otherAttributes: [
    { name: "size", value: "1" },
    { name: "color", value: "blue" },
  ],
};
const reordered: Widget = {
  ...expected,
  otherAttributes: [...expected.otherAttributes].reverse(),
};

describe("comparing widgets", () => {
  it("the check finds a widget whose other-attributes are in another order different", () => {
    assert.deepEqual(compareWidgets(new Map([["w1", expected]]), [reordered]), {
      matching: 0,
      missing: [],
      unexpected: [],
      different: ["w1"],
    });
    assert.equal(compareWidgets(new Map([["w1", expected]]), [{ ...expected }]).matching, 1);
  });

  it("sameWidget, the maker's repeat test, takes them in any order", () => {
    assert.ok(sameWidget(expected, reordered));
    assert.ok(!sameWidget(expected, { ...reordered, label: "B" }));
  });
});
