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

describe("an edit that changes nothing", () => {
  it("is no change: changed 0, the same version, updatedAt kept", () => {
    const store = new TodoStore(join(dir, "no-op.db"));
    const added = store.addMany(
      "u2",
      [{ title: "Pack", notes: "", due: "2027-01-11", done: false }],
      1000,
    );
    const itemId = added.items[0]!.id;
    const ticked = store.update("u2", itemId, { done: true }, 2000);
    assert.equal(ticked?.changed, 1);
    assert.equal(ticked?.list.version, 2);

    // When the same values are sent again (a PATCH retried, a form saved twice)
    const again = store.update(
      "u2",
      itemId,
      { done: true, title: "Pack", due: "2027-01-11" },
      3000,
    );

    // Then nothing changed: no new version (so no render), updatedAt (the calendar's DTSTAMP) kept
    assert.equal(again?.changed, 0);
    assert.equal(again?.list.version, 2);
    assert.equal(store.item("u2", itemId)?.updatedAt, 2000);
    // ...while a real change among unchanged fields still counts
    assert.equal(store.update("u2", itemId, { done: true, notes: "passport" }, 4000)?.changed, 1);
    assert.equal(store.item("u2", itemId)?.updatedAt, 4000);
    store.close();
  });
});
