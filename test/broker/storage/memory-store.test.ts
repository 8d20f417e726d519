import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MemoryStore } from "../../../src/broker/storage/memory-store.ts";
import { describeStoreContract, message, payload, queue } from "./store-contract.ts";

describeStoreContract("MemoryStore", () => {
  let store: MemoryStore | undefined;
  return {
    open: () => (store = new MemoryStore()),
    // A restarted broker gets the same instance back: that is the memory store's "disk".
    reopen: (current) => current,
    dispose: () => store?.close(),
  };
});

describe("MemoryStore", () => {
  it("commits every write at once: whenCommitted calls back synchronously", () => {
    const store = new MemoryStore();
    store.insertMessage(message(1), payload());
    let called = false;
    store.whenCommitted(() => (called = true));
    assert.ok(called);
  });

  it("hands out copies: changing what load() returned changes nothing stored", () => {
    const store = new MemoryStore();
    store.putQueue(queue(1, { attributes: { DelaySeconds: "5" } }));
    store.insertMessage(message(1), payload());
    const first = store.load();
    first.queues[0]!.attributes.DelaySeconds = "9";
    [...first.messages][0]!.receiveCount = 7;

    const second = store.load();
    assert.deepEqual(second.queues, [queue(1, { attributes: { DelaySeconds: "5" } })]);
    assert.deepEqual([...second.messages], [message(1)]);
  });
});
