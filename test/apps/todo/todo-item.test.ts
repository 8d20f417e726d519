import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTodoFields } from "../../../src/apps/todo/todo-item.ts";

const parse = (input: unknown) => parseTodoFields(input, { requireTitle: true });

describe("parseTodoFields: lengths", () => {
  it("counts characters, not UTF-16 units: 200 emoji make a title, 201 do not", () => {
    assert.deepEqual(parse({ title: "🎉".repeat(200) }), {
      ok: true,
      fields: { title: "🎉".repeat(200) },
    });
    assert.deepEqual(parse({ title: "🎉".repeat(201) }), {
      ok: false,
      reason: "title must be at most 200 characters",
    });
  });

  it("counts the title as stored, trimmed", () => {
    const parsed = parse({ title: ` ${"x".repeat(200)} ` });
    assert.ok(parsed.ok);
    assert.equal(parsed.fields.title, "x".repeat(200));
  });

  it("counts notes as stored: characters, with a form's CRLF line breaks as one", () => {
    assert.ok(parse({ title: "t", notes: "🎉".repeat(1000) }).ok);
    const lines = "line\r\n".repeat(200); // 1,200 UTF-16 units, stored as 1,000 characters
    const parsed = parse({ title: "t", notes: lines });
    assert.ok(parsed.ok);
    assert.equal(parsed.fields.notes, "line\n".repeat(200));
    assert.deepEqual(parse({ title: "t", notes: "🎉".repeat(1001) }), {
      ok: false,
      reason: "notes must be at most 1000 characters",
    });
  });
});
