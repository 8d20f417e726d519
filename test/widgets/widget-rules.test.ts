import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ownerKey } from "../../src/widgets/owner-key.ts";
import { parseRevision } from "../../src/widgets/request-position.ts";
import { applyUpdate, widgetFromCreate } from "../../src/widgets/widget.ts";
import type { Widget } from "../../src/widgets/widget.ts";
import type { WidgetRequest } from "../../src/widgets/widget-request.ts";

const create: WidgetRequest = {
  type: "create",
  requestId: "r1",
  widgetId: "w1",
  owner: "Mary Matthews",
  label: "JWJYY",
  description: "THBRNV",
  otherAttributes: [
    { name: "color", value: "blue" },
    { name: "size", value: "10" },
  ],
};

function update(fields: Partial<WidgetRequest>): WidgetRequest {
  return { type: "update", requestId: "r2", widgetId: "w1", owner: "Mary Matthews", ...fields };
}

describe("create (CS5260 HW2)", () => {
  it("holds all the data of the request", () => {
    assert.deepEqual(widgetFromCreate(create), {
      id: "w1",
      owner: "Mary Matthews",
      label: "JWJYY",
      description: "THBRNV",
      otherAttributes: [
        { name: "color", value: "blue" },
        { name: "size", value: "10" },
      ],
    } satisfies Widget);
  });

  it("leaves absent, null and empty label and description unset", () => {
    const widget = widgetFromCreate({ ...create, label: undefined, description: "" });
    assert.equal(widget.label, null);
    assert.equal(widget.description, null);
  });
});

describe("update rules (CS5260 HW2)", () => {
  const widget = widgetFromCreate(create);

  it("keeps a property that is absent or null", () => {
    assert.deepEqual(applyUpdate(widget, update({ label: null })), widget);
    assert.deepEqual(applyUpdate(widget, update({})), widget);
  });

  it("sets label or description to null for an empty string", () => {
    const updated = applyUpdate(widget, update({ label: "", description: "" }));
    assert.equal(updated.label, null);
    assert.equal(updated.description, null);
  });

  it("changes every property the request mentions", () => {
    const updated = applyUpdate(
      widget,
      update({ label: "NEW", otherAttributes: [{ name: "size", value: "12" }] }),
    );
    assert.equal(updated.label, "NEW");
    assert.equal(updated.description, "THBRNV");
    assert.deepEqual(updated.otherAttributes, [
      { name: "color", value: "blue" },
      { name: "size", value: "12" },
    ]);
  });

  it("removes an other-attribute whose value is an empty string, and adds new ones", () => {
    const updated = applyUpdate(
      widget,
      update({
        otherAttributes: [
          { name: "color", value: "" },
          { name: "rating", value: "2.5" },
        ],
      }),
    );
    assert.deepEqual(updated.otherAttributes, [
      { name: "size", value: "10" },
      { name: "rating", value: "2.5" },
    ]);
  });

  it("never changes id or owner", () => {
    const updated = applyUpdate(widget, update({ widgetId: "other", owner: "John Jones" }));
    assert.equal(updated.id, "w1");
    assert.equal(updated.owner, "Mary Matthews");
  });
});

describe("owner key", () => {
  it("is the owner with spaces as dashes, lower case", () => {
    assert.equal(ownerKey("Mary Matthews"), "mary-matthews");
    assert.equal(ownerKey("Henry Hops"), "henry-hops");
  });
});

describe("revisions", () => {
  it("reads only positive whole revisions", () => {
    assert.equal(parseRevision("7"), 7);
    for (const bad of [undefined, "", "0", "-1", "1.5", "07", "x"]) {
      assert.equal(parseRevision(bad), undefined, String(bad));
    }
  });
});
