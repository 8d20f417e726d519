import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseWidgetRequest } from "../../src/widgets/parse-widget-request.ts";
import { COURSE_SAMPLES_DIR } from "../support/course-samples.ts";

const SAMPLES = COURSE_SAMPLES_DIR;

function reasonFor(value: unknown): string {
  const parsed = parseWidgetRequest(typeof value === "string" ? value : JSON.stringify(value));
  assert.equal(parsed.ok, false, `expected a rejection of ${JSON.stringify(value)}`);
  return parsed.ok ? "" : parsed.reason;
}

const valid = {
  type: "create",
  requestId: "e80fab52-71a5-4a76-8c4d-11b66b83ca2a",
  widgetId: "8123f304-f23f-440b-a6d3-80e979fa4cd6",
  owner: "Mary Matthews",
};

describe("widget request validation", () => {
  it("accepts the 32 good course samples and rejects exactly the 3 bad ones, with reasons", () => {
    const rejected = new Map<string, string>();
    let accepted = 0;
    for (const name of readdirSync(SAMPLES).sort()) {
      const parsed = parseWidgetRequest(readFileSync(`${SAMPLES}${name}`, "utf8"));
      if (parsed.ok) accepted += 1;
      else rejected.set(name, parsed.reason);
    }
    assert.equal(accepted, 32);
    assert.deepEqual(Object.fromEntries(rejected), {
      "1612306374392": "the request is empty",
      "1612306375135": 'type must be one of create, update, delete; got "bad"',
      "1612306375892": "owner is missing",
    });
  });

  it("keeps absent, null and empty optional fields apart (the update rules need it)", () => {
    const parsed = parseWidgetRequest(
      JSON.stringify({ ...valid, type: "update", label: "", description: null }),
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.request.label, "");
    assert.equal(parsed.request.description, null);
    assert.equal(parsed.request.otherAttributes, undefined);
  });

  it("names the field and the problem for each kind of bad request", () => {
    assert.match(reasonFor("{not json"), /^the request is not valid JSON/);
    assert.equal(reasonFor([valid]), "the request must be a JSON object");
    assert.equal(
      reasonFor({ ...valid, type: "WidgetCreateRequest" }),
      'type must be one of create, update, delete; got "WidgetCreateRequest"',
    );
    assert.equal(
      reasonFor({ ...valid, requestId: 42 }),
      "requestId must be a string, got a number",
    );
    assert.equal(reasonFor({ ...valid, widgetId: "" }), "widgetId must not be empty");
    assert.match(
      reasonFor({ ...valid, widgetId: "../etc" }),
      /^widgetId must be 1-128 letters, digits/,
    );
    assert.equal(reasonFor({ ...valid, label: 5 }), "label must be a string or null, got a number");
    assert.equal(
      reasonFor({ ...valid, otherAttributes: {} }),
      "otherAttributes must be an array, got an object",
    );
    assert.equal(
      reasonFor({ ...valid, otherAttributes: [{ name: "color" }] }),
      "otherAttributes[0].value must be a string, got nothing",
    );
    assert.equal(
      reasonFor({ ...valid, otherAttributes: [{ name: "", value: "x" }] }),
      'otherAttributes[0].name must be a non-empty string, got ""',
    );
  });

  it("anchors the owner pattern the course schema leaves open", () => {
    // The schema's unanchored [A-Za-z ]+ would accept both.
    assert.equal(
      reasonFor({ ...valid, owner: "Agent 007" }),
      'owner must be letters and spaces only; got "Agent 007"',
    );
    assert.equal(
      reasonFor({ ...valid, owner: "   " }),
      'owner must be letters and spaces only; got "   "',
    );
  });
});
