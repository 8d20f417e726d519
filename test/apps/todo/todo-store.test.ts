import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import Database from "better-sqlite3";
import { TodoConflict, TodoStore } from "../../../src/apps/todo/todo-store.ts";

const dir = mkdtempSync(join(tmpdir(), "mailroom-todo-store-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("a todo list too large for one calendar job", () => {
  it("made before the cap (360 KB), can still be shortened and ticked off, but not grown", () => {
    // Given a list of 100 long CJK items written straight into the database, as
    // versions without the 250 KiB cap let it grow
    const file = join(dir, "todo.db");
    const store = new TodoStore(file);
    const raw = new Database(file);
    const insert = raw.prepare(
      "INSERT INTO items (user_id, title, notes, done, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)",
    );
    const now = Date.now();
    for (let n = 0; n < 100; n += 1)
      insert.run("u1", "件名".repeat(100), "長".repeat(1000), now, now);
    raw.close();
    const itemId = store.list("u1").items[0]!.id;
    assert.ok(Buffer.byteLength(JSON.stringify(store.list("u1"))) > 300_000);

    // Then an edit that does not grow it passes, and one that shrinks it too
    assert.equal(store.update("u1", itemId, { done: true })?.changed, 1);
    assert.equal(store.update("u1", itemId, { notes: "短い" })?.changed, 1);
    // ...but one that grows it is refused, and changes nothing
    assert.throws(
      () => store.update("u1", itemId, { notes: "長".repeat(1000) }),
      (error: unknown) => error instanceof TodoConflict && /over the 250 KiB/.test(error.message),
    );
    assert.equal(store.item("u1", itemId)?.notes, "短い");
    store.close();
  });
});
