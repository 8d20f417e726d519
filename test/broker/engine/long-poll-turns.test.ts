import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { ManualClock } from "../../../src/broker/engine/manual-clock.ts";
import { SqsEngine } from "../../../src/broker/engine/sqs-engine.ts";
import type { BrokerStore } from "../../../src/broker/engine/store.ts";
import { MemoryStore } from "../../../src/broker/storage/memory-store.ts";
import { SqliteStore } from "../../../src/broker/storage/sqlite-store.ts";

/**
 * A long poll is answered at the end of the event-loop turn in which messages
 * became visible, with all of them: requests handled in one turn arrive in
 * separate I/O callbacks, which separate setImmediate callbacks stand in for.
 */
describe("long polls and event-loop turns", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  const stores: Array<[string, () => BrokerStore]> = [
    ["MemoryStore", () => new MemoryStore()],
    [
      "SqliteStore",
      () => {
        const dir = mkdtempSync(join(tmpdir(), "mailroom-turns-"));
        const store = new SqliteStore({ file: join(dir, "broker.db") });
        cleanups.push(() => {
          store.close();
          rmSync(dir, { recursive: true, force: true });
        });
        return store;
      },
    ],
  ];

  for (const [name, openStore] of stores) {
    it(`${name}: a waiting receive gets every message sent in the turn that woke it`, async () => {
      // Given a receive waiting for up to 10 messages on an empty queue
      const store = openStore();
      const engine = new SqsEngine({ store, clock: new ManualClock() });
      cleanups.unshift(() => engine.close());
      engine.createQueue("turns");
      const polling = engine.receiveMessage("turns", {
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 20,
      });
      assert.ok(polling instanceof Promise, "the receive waits");

      // When three messages are sent from three callbacks of one turn
      await new Promise<void>((resolve) => {
        for (const body of ["one", "two", "three"]) {
          setImmediate(() => engine.sendMessage("turns", { MessageBody: body }, "sender"));
        }
        setImmediate(resolve);
      });

      // Then the receive answers with all three, and their receives are committed
      const messages = await polling;
      // (in any order: a standard queue's receive is best-effort ordered)
      assert.deepEqual(messages.map((m) => m.Body).sort(), ["one", "three", "two"]);
      await new Promise<void>((resolve, reject) =>
        store.whenCommitted((error) => (error ? reject(error) : resolve())),
      );
    });
  }
});
