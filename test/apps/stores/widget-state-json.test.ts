import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  widgetStateFromJson,
  widgetStateToJson,
} from "../../../src/apps/stores/widget-state-json.ts";
import { AppError } from "../../../src/apps/app-error.ts";
import { visibleWidget } from "../../../src/widgets/widget-state.ts";

const CREATED = [0, 1_000, 0, "r-1"];
const SET = [0, 1_001, 1, "r-2"];

/** A state as this version writes it: a widget created, then an update setting `note`. */
const STATE = {
  lifecycle: {
    widget: { id: "w1", owner: "Sue Smith", label: "L", description: null, otherAttributes: [] },
    at: CREATED,
  },
  attributes: [{ name: "note", value: "hi", at: SET, index: 0, places: [[SET, 0]] }],
  seen: [CREATED, SET],
};

describe("widget states as JSON", () => {
  it("read back exactly what was written", () => {
    const text = JSON.stringify(STATE);
    assert.equal(widgetStateToJson(widgetStateFromJson(text, "here")), text);
  });

  it("read a state written before places were a list: its one place becomes a list of one", () => {
    const { places, ...write } = STATE.attributes[0]!;
    const older = { ...STATE, attributes: [{ ...write, place: places[0] }] };

    const read = widgetStateFromJson(JSON.stringify(older), "here");

    assert.deepEqual(read, STATE);
    assert.deepEqual(visibleWidget(read)?.otherAttributes, [{ name: "note", value: "hi" }]);
  });

  it("refuses what is not a state, naming where it was", () => {
    assert.throws(
      () => widgetStateFromJson('{"attributes": 3}', "s3://bucket/.mailroom/states/w1/x"),
      (error: unknown) =>
        error instanceof AppError &&
        error.message ===
          "s3://bucket/.mailroom/states/w1/x does not hold a widget state Mailroom can read",
    );
  });
});
