import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { WidgetRegistry } from "../../../src/apps/maker/widget-registry.ts";
import { parseWidgetRequest } from "../../../src/widgets/parse-widget-request.ts";
import type { WidgetRequest } from "../../../src/widgets/widget-request.ts";

function createRequest(
  requestId: string,
  widgetId: string,
  owner: string,
  otherAttributes?: { name: string; value: string }[],
): WidgetRequest {
  const parsed = parseWidgetRequest(
    JSON.stringify({ type: "create", requestId, widgetId, owner, otherAttributes }),
  );
  assert.ok(parsed.ok);
  return parsed.request;
}

describe("WidgetRegistry", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "mailroom-registry-"));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it("two makers on one data dir never write over each other's widget", async () => {
    // Given two registries opened on the same folder before either made anything
    const [first, second] = await Promise.all([
      WidgetRegistry.open(dataDir),
      WidgetRegistry.open(dataDir),
    ]);

    // When each is asked for widget w1, with different owners
    const made = await first.make(createRequest("r1", "w1", "Sue Smith"));
    const other = await second.make(createRequest("r2", "w1", "John Jones"));
    const repeat = await second.make(createRequest("r1", "w1", "Sue Smith"));

    // Then the first one made it, the second saw a conflict, then a repeat of the first's
    assert.equal(made.kind, "created");
    assert.equal(other.kind, "conflict");
    assert.equal(repeat.kind, "repeat");
    const files = readdirSync(join(dataDir, "widgets"));
    assert.deepEqual(files, ["w1.json"]);
    const stored = JSON.parse(readFileSync(join(dataDir, "widgets", "w1.json"), "utf8"));
    assert.equal(stored.widget.owner, "Sue Smith");
    assert.equal(stored.requestId, "r1");
  });

  it("takes the same widget with its other attributes in another order as a repeat, not a conflict", async () => {
    const registry = await WidgetRegistry.open(join(dataDir, "order"));
    const color = { name: "color", value: "red" };
    const size = { name: "size", value: "9" };
    assert.equal(
      (await registry.make(createRequest("r1", "w2", "Sue", [color, size]))).kind,
      "created",
    );
    assert.equal(
      (await registry.make(createRequest("r2", "w2", "Sue", [size, color]))).kind,
      "repeat",
    );
    const other = await registry.make(
      createRequest("r3", "w2", "Sue", [size, { ...color, value: "blue" }]),
    );
    assert.equal(other.kind, "conflict");
  });
});
