import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, it } from "node:test";
import type { MessagePayload } from "../../../src/broker/engine/message-types.ts";
import type {
  BrokerStore,
  DedupRecord,
  EngineRecord,
  MessageRecord,
  QueueRecord,
} from "../../../src/broker/engine/store.ts";

/** How the shared suite gets at one kind of store. */
export interface StoreHarness {
  /** The store under test: new and empty. */
  open(): BrokerStore;
  /**
   * What a broker restart does to the store: the SQLite store is closed and
   * its file opened again; the memory store stays the same instance.
   */
  reopen(store: BrokerStore): BrokerStore;
  /** Closes the latest store and removes any files. */
  dispose(): void;
}

/**
 * The BrokerStore contract, proved the same way against every store (see
 * store.ts). Each test gets a fresh harness.
 */
export function describeStoreContract(storeName: string, createHarness: () => StoreHarness): void {
  describe(`${storeName}: the BrokerStore contract`, () => {
    let harness: StoreHarness;
    let store: BrokerStore;

    beforeEach(() => {
      harness = createHarness();
      store = harness.open();
    });
    afterEach(() => harness.dispose());

    /** Waits for the pending writes to commit, then restarts the store. */
    async function restart(): Promise<void> {
      await committed(store);
      store = harness.reopen(store);
    }

    describe("queues", () => {
      it("a new store loads nothing", () => {
        const state = store.load();
        assert.deepEqual(state.queues, []);
        assert.deepEqual([...state.messages], []);
        assert.deepEqual(state.dedupEntries, []);
        assert.equal(state.highestSeq ?? 0, 0);
        assert.deepEqual(state.engineRecords ?? [], []);
      });

      it("queues come back with their attributes, tags and timestamps", async () => {
        const standard = queue(1, { attributes: { VisibilityTimeout: "45" } });
        const fifo = queue(2, {
          name: "orders.fifo",
          attributes: { FifoQueue: "true", ContentBasedDeduplication: "true" },
          tags: { team: "widgets", "cost-centre": "ünïcode ✓" },
          lastPurgedAt: 1_700_000_123_456,
        });
        store.putQueue(standard);
        store.putQueue(fifo);

        await restart();

        assert.deepEqual(byId(store.load().queues), [standard, fifo]);
      });

      it("putting a queue again replaces it as a whole", async () => {
        store.putQueue(queue(1, { attributes: { DelaySeconds: "5", VisibilityTimeout: "10" } }));
        await committed(store);
        const changed = queue(1, {
          attributes: { VisibilityTimeout: "20" },
          tags: { env: "test" },
          lastModifiedAt: 1_700_000_100_000,
          lastPurgedAt: 1_700_000_200_000,
        });
        store.putQueue(changed);

        await restart();

        assert.deepEqual(store.load().queues, [changed]);
      });

      it("keeps its own copy of a queue record", async () => {
        const record = queue(1, { attributes: { DelaySeconds: "5" } });
        store.putQueue(record);
        record.attributes.DelaySeconds = "9";
        record.name = "renamed";

        await restart();

        assert.deepEqual(store.load().queues, [queue(1, { attributes: { DelaySeconds: "5" } })]);
      });

      it("removeQueue drops the queue, its messages and its dedup entries, and nothing else", async () => {
        store.putQueue(queue(1));
        store.putQueue(queue(2));
        store.insertMessage(message(1, { queueId: 1 }), payload());
        store.insertMessage(message(2, { queueId: 2 }), payload());
        store.putDedupEntry(dedup(1, "a", 1));
        store.putDedupEntry(dedup(2, "a", 2));
        await committed(store);
        // Written in the same commit as the removal: gone as well.
        store.insertMessage(message(3, { queueId: 1 }), payload());
        store.putDedupEntry(dedup(1, "b", 3));
        store.removeQueue(1);
        assert.equal(store.readPayload(1), undefined, "a committed message of the queue");
        assert.equal(store.readPayload(3), undefined, "a buffered message of the queue");
        assert.ok(store.readPayload(2), "another queue's message");

        await restart();

        const state = store.load();
        assert.deepEqual(byId(state.queues), [queue(2)]);
        assert.deepEqual(seqs(state.messages), [2]);
        assert.deepEqual(state.dedupEntries, [dedup(2, "a", 2)]);
      });
    });

    describe("messages", () => {
      it("come back in seq order with their delivery state", async () => {
        const records = [
          message(3, { receiveCount: 2, firstReceivedAt: 1_700_000_001_000 }),
          message(1, { groupId: "group-1" }),
          message(7, {
            queueId: 2,
            deadLetterSourceArn: "arn:aws:sqs:us-east-1:000000000000:source",
            lastReceivedAt: 1_700_000_002_000,
          }),
          message(5, { visibleAt: 1_700_000_900_000 }),
        ];
        // Separate commits, out of order: the order of load() is the store's doing.
        for (const record of records) {
          store.insertMessage(record, payload());
          await committed(store);
        }

        await restart();

        assert.deepEqual([...store.load().messages], bySeq(records));
      });

      it("leave absent optional fields absent, also when the caller set them to undefined", async () => {
        // The engine's MessageState always has these properties, often undefined.
        const record: MessageRecord = {
          ...message(1),
          groupId: undefined,
          deadLetterSourceArn: undefined,
        };
        store.insertMessage(record, payload());

        await restart();

        const [loaded] = [...store.load().messages];
        assert.ok(loaded);
        assert.ok(!("groupId" in loaded), "no groupId key");
        assert.ok(!("deadLetterSourceArn" in loaded), "no deadLetterSourceArn key");
      });

      it("the store keeps its own copy of the record it was given", async () => {
        const record = message(1);
        store.insertMessage(record, payload());
        // The engine goes on mutating its message objects after writing them.
        record.visibleAt = 1;
        record.receiveCount = 99;

        await restart();

        assert.deepEqual([...store.load().messages], [message(1)]);
      });

      it("updateMessage records new delivery state, including a move to another queue", async () => {
        store.insertMessage(message(1), payload({ body: "stays" }));
        store.insertMessage(message(2), payload({ body: "moves" }));
        await committed(store);
        const received = receivedOnce(1);
        const moved = message(2, {
          queueId: 9,
          sentAt: 1_700_000_050_000,
          receiveCount: 3,
          deadLetterSourceArn: "arn:aws:sqs:us-east-1:000000000000:source",
        });
        store.updateMessage(received);
        store.updateMessage(moved);

        await restart();

        assert.deepEqual([...store.load().messages], [received, moved]);
        assert.equal(store.readPayload(2)?.body, "moves", "the payload is untouched");
      });

      it("recordReceive records new delivery state too, at the latest when the store closes", async () => {
        store.insertMessage(message(1), payload({ body: "received" }));
        await committed(store);
        const received = receivedOnce(1);
        store.recordReceive(received);

        await restart();

        assert.deepEqual([...store.load().messages], [received]);
        assert.equal(store.readPayload(1)?.body, "received");
      });

      it("a receive recorded before a later write of its message never overwrites it", async () => {
        // Given three received messages...
        for (const seq of [1, 2, 3]) store.insertMessage(message(seq), payload());
        await committed(store);
        for (const seq of [1, 2, 3]) store.recordReceive(message(seq, { receiveCount: 1 }));
        // ...when one is moved, one is received again and one is deleted
        store.updateMessage(message(1, { queueId: 9, receiveCount: 1 }));
        store.recordReceive(message(2, { receiveCount: 2 }));
        store.deleteMessage(3);

        await restart();

        // Then each keeps its latest write
        assert.deepEqual(
          [...store.load().messages],
          [message(1, { queueId: 9, receiveCount: 1 }), message(2, { receiveCount: 2 })],
        );
      });

      it("a receive recorded for a message that a purge removed brings nothing back", async () => {
        store.insertMessage(message(1, { queueId: 1 }), payload());
        await committed(store);
        store.recordReceive(message(1, { queueId: 1, receiveCount: 1 }));
        store.purgeMessages(1, 1);

        await restart();

        assert.deepEqual([...store.load().messages], []);
        assert.equal(store.readPayload(1), undefined);
      });

      it("deleteMessage removes the message and its payload", async () => {
        store.insertMessage(message(1), payload());
        store.insertMessage(message(2), payload());
        await committed(store);
        store.deleteMessage(1);

        await restart();

        assert.deepEqual(seqs(store.load().messages), [2]);
        assert.equal(store.readPayload(1), undefined);
      });

      it("deletes in one commit remove exactly those messages, however they interleave", async () => {
        for (let seq = 1; seq <= 12; seq++) store.insertMessage(message(seq), payload());
        await committed(store);
        // Runs of neighbours, lone ones and gaps, in no order: what one
        // turn of delete batches from several consumers looks like.
        for (const seq of [9, 3, 12, 2, 7, 4, 10]) store.deleteMessage(seq);

        await restart();

        assert.deepEqual(seqs(store.load().messages), [1, 5, 6, 8, 11]);
      });

      it("purgeMessages deletes the queue's messages up to a seq, committed or buffered", async () => {
        store.insertMessage(message(1, { queueId: 1 }), payload());
        store.insertMessage(message(2, { queueId: 2 }), payload());
        store.insertMessage(message(3, { queueId: 1 }), payload());
        await committed(store);
        store.insertMessage(message(4, { queueId: 1 }), payload());
        store.insertMessage(message(5, { queueId: 1 }), payload());
        store.purgeMessages(1, 4);
        // Sent after the purge, below its seq: not purged.
        store.insertMessage(message(0, { queueId: 1 }), payload());
        assert.equal(store.readPayload(3), undefined, "committed, purged");
        assert.equal(store.readPayload(4), undefined, "buffered, purged (upToSeq itself)");
        assert.ok(store.readPayload(5), "above upToSeq");
        assert.ok(store.readPayload(0), "sent after the purge");
        await committed(store);
        store.purgeMessages(1, 5);

        await restart();

        assert.deepEqual(seqs(store.load().messages), [2]);
      });

      it("a buffered message is purged by a later purge in the same commit", async () => {
        store.insertMessage(message(1, { queueId: 1 }), payload());
        store.removeQueue(9);
        store.purgeMessages(1, 1);
        assert.equal(store.readPayload(1), undefined);

        await restart();

        assert.deepEqual(seqs(store.load().messages), []);
      });

      it("remember a seq at or above every seq inserted, even when every message is gone", async () => {
        store.insertMessage(message(41), payload());
        await committed(store);
        store.deleteMessage(41);
        // Merged away within one commit, yet its seq was used.
        store.insertMessage(message(42), payload());
        store.deleteMessage(42);

        await restart();

        const state = store.load();
        assert.deepEqual([...state.messages], []);
        assert.ok((state.highestSeq ?? 0) >= 42, `highestSeq ${state.highestSeq} covers 42`);
      });

      it("a load can be iterated more than once", async () => {
        for (let seq = 1; seq <= 3; seq++) store.insertMessage(message(seq), payload());
        await restart();

        const { messages } = store.load();
        assert.deepEqual(seqs(messages), [1, 2, 3]);
        assert.deepEqual(seqs(messages), [1, 2, 3]);
      });
    });

    describe("payloads", () => {
      it("come back exactly: unicode body, binary and custom-typed attributes, system attributes", async () => {
        const full = payload({
          body: 'widget ✓ 🚀 中文 "quoted" \\ back\\slash\n\ttab <xml/> \u00e9\u0301',
          messageAttributes: {
            text: { DataType: "String", StringValue: "héllo 🌍" },
            empty: { DataType: "String", StringValue: "" },
            count: { DataType: "Number", StringValue: "-12.5e3" },
            price: { DataType: "Number.float", StringValue: "3.14" },
            bytes: { DataType: "Binary", BinaryValue: everyByte() },
            image: { DataType: "Binary.png", BinaryValue: Uint8Array.of(0x89, 0x50, 0x4e, 0x47) },
            nothing: { DataType: "Binary", BinaryValue: new Uint8Array(0) },
          },
          md5OfMessageAttributes: "0123456789abcdef0123456789abcdef",
          systemAttributes: {
            AWSTraceHeader: {
              DataType: "String",
              StringValue: "Root=1-5759e988-bd862e3fe1be46a994272793",
            },
          },
          md5OfSystemAttributes: "fedcba9876543210fedcba9876543210",
          deduplicationId: "dedup-1",
        });
        store.insertMessage(message(1), full);
        assert.deepEqual(store.readPayload(1), full, "before the commit");
        await committed(store);
        assert.deepEqual(store.readPayload(1), full, "after the commit");

        await restart();

        const loaded = store.readPayload(1);
        assert.deepEqual(loaded, full, "after a restart");
        const bytes = loaded?.messageAttributes?.bytes?.BinaryValue;
        assert.equal(Object.getPrototypeOf(bytes), Uint8Array.prototype, "a plain Uint8Array");
      });

      it("a payload without optional fields comes back without them", async () => {
        store.insertMessage(message(1), payload());
        await restart();

        const loaded = store.readPayload(1);
        assert.deepEqual(loaded, payload());
        assert.deepEqual(Object.keys(loaded ?? {}).sort(), [
          "body",
          "md5OfBody",
          "messageId",
          "senderId",
        ]);
      });

      it("empty attribute maps stay empty maps", async () => {
        const withEmpty = payload({ messageAttributes: {}, systemAttributes: {} });
        store.insertMessage(message(1), withEmpty);
        await restart();
        assert.deepEqual(store.readPayload(1), withEmpty);
      });

      it("readPayload of an unknown seq is undefined", () => {
        assert.equal(store.readPayload(12345), undefined);
      });

      it("readPayload sees writes not yet committed", () => {
        store.insertMessage(message(1), payload({ body: "buffered" }));
        assert.equal(store.readPayload(1)?.body, "buffered", "after the insert");
        store.updateMessage(message(1, { receiveCount: 1 }));
        assert.equal(store.readPayload(1)?.body, "buffered", "after an update");
        store.deleteMessage(1);
        assert.equal(store.readPayload(1), undefined, "after the delete");
      });
    });

    describe("writes to one message within one commit", () => {
      it("insert then update: the message is stored with the final state", async () => {
        store.insertMessage(message(1), payload({ body: "kept" }));
        const final = message(1, { receiveCount: 1, visibleAt: 1_700_000_030_000 });
        store.updateMessage(final);

        await restart();

        assert.deepEqual([...store.load().messages], [final]);
        assert.equal(store.readPayload(1)?.body, "kept");
      });

      it("insert then delete: nothing is stored", async () => {
        store.insertMessage(message(1), payload());
        store.updateMessage(message(1, { receiveCount: 1 }));
        store.deleteMessage(1);

        await restart();

        assert.deepEqual([...store.load().messages], []);
        assert.equal(store.readPayload(1), undefined);
      });

      it("update then update: the last one wins", async () => {
        store.insertMessage(message(1), payload());
        await committed(store);
        store.updateMessage(message(1, { receiveCount: 1 }));
        store.updateMessage(message(1, { receiveCount: 2, queueId: 3 }));

        await restart();

        assert.deepEqual([...store.load().messages], [message(1, { receiveCount: 2, queueId: 3 })]);
      });

      it("update then delete, or delete then update: the message is gone", async () => {
        store.insertMessage(message(1), payload());
        store.insertMessage(message(2), payload());
        await committed(store);
        store.updateMessage(message(1, { receiveCount: 1 }));
        store.deleteMessage(1);
        store.deleteMessage(2);
        store.updateMessage(message(2, { receiveCount: 1 }));
        assert.equal(store.readPayload(2), undefined);

        await restart();

        assert.deepEqual([...store.load().messages], []);
      });
    });

    describe("bulk deletes take effect in call order", () => {
      it("a message moved out of a queue just before the queue is removed survives", async () => {
        store.insertMessage(message(1, { queueId: 1 }), payload({ body: "moved" }));
        await committed(store);
        store.updateMessage(message(1, { queueId: 2, receiveCount: 3 }));
        store.removeQueue(1);
        assert.equal(store.readPayload(1)?.body, "moved");

        await restart();

        assert.deepEqual([...store.load().messages], [message(1, { queueId: 2, receiveCount: 3 })]);
      });

      it("a message moved into a queue just after the queue was purged survives", async () => {
        // Given an old message in the source queue and a purge of the dead-letter queue
        store.insertMessage(message(1, { queueId: 1 }), payload({ body: "dead letter" }));
        await committed(store);
        store.purgeMessages(2, 10);
        // When the old message moves into the purged queue in the same commit
        store.updateMessage(message(1, { queueId: 2 }));
        // Then it is still there
        assert.equal(store.readPayload(1)?.body, "dead letter");

        await restart();

        assert.deepEqual([...store.load().messages], [message(1, { queueId: 2 })]);
      });

      it("a message moved into a queue just before the queue is purged is purged", async () => {
        store.insertMessage(message(1, { queueId: 1 }), payload());
        await committed(store);
        store.updateMessage(message(1, { queueId: 2 }));
        store.purgeMessages(2, 10);
        assert.equal(store.readPayload(1), undefined);

        await restart();

        assert.deepEqual([...store.load().messages], []);
      });

      it("a message inserted after a purge and updated after a second one survives both", async () => {
        store.purgeMessages(1, 10);
        store.insertMessage(message(11, { queueId: 1 }), payload({ body: "late" }));
        store.purgeMessages(1, 10);
        store.updateMessage(message(11, { queueId: 1, receiveCount: 1 }));
        assert.equal(store.readPayload(11)?.body, "late");

        await restart();

        assert.deepEqual(
          [...store.load().messages],
          [message(11, { queueId: 1, receiveCount: 1 })],
        );
      });
    });

    describe("deduplication entries", () => {
      it("come back, one per queue and key, the latest put winning", async () => {
        store.putDedupEntry(dedup(1, "a", 1));
        store.putDedupEntry(dedup(1, "b", 2));
        store.putDedupEntry(dedup(2, "a", 3));
        await committed(store);
        store.putDedupEntry(dedup(1, "a", 4, 1_700_000_999_000));

        await restart();

        assert.deepEqual(byKey(store.load().dedupEntries), [
          dedup(1, "a", 4, 1_700_000_999_000),
          dedup(1, "b", 2),
          dedup(2, "a", 3),
        ]);
      });

      it("pruning forgets entries that expired at or before now, committed or buffered", async () => {
        const now = 1_700_000_300_000;
        store.putDedupEntry(dedup(1, "expired", 1, now - 1));
        store.putDedupEntry(dedup(1, "expires-now", 2, now));
        store.putDedupEntry(dedup(1, "live", 3, now + 1));
        await committed(store);
        store.putDedupEntry(dedup(2, "buffered-expired", 4, now - 5));
        store.putDedupEntry(dedup(2, "buffered-expires-now", 7, now));
        store.putDedupEntry(dedup(2, "buffered-live", 5, now + 5));
        store.pruneDedupEntries(now);
        // Put after the prune: kept.
        store.putDedupEntry(dedup(2, "late", 6, now + 10));

        await restart();

        assert.deepEqual(byKey(store.load().dedupEntries), [
          dedup(1, "live", 3, now + 1),
          dedup(2, "buffered-live", 5, now + 5),
          dedup(2, "late", 6, now + 10),
        ]);
      });

      it("a purge forgets the queue's entries, committed or buffered, and keeps those put after it", async () => {
        store.putDedupEntry(dedup(1, "committed", 1));
        store.putDedupEntry(dedup(2, "other-queue", 2));
        await committed(store);
        store.putDedupEntry(dedup(1, "buffered", 3));
        store.purgeMessages(1, 3);
        store.putDedupEntry(dedup(1, "after", 4));

        await restart();

        assert.deepEqual(byKey(store.load().dedupEntries), [
          dedup(1, "after", 4),
          dedup(2, "other-queue", 2),
        ]);
      });
    });

    describe("engine records", () => {
      it("come back after a restart, the latest put of a kind and key winning", async () => {
        store.putEngineRecord("move-task", "a", '{"moved":1}');
        store.putEngineRecord("deleted-queue-name", "a", '{"deletedAt":5}');
        await committed(store);
        store.putEngineRecord("move-task", "a", '{"moved":2}');
        store.putEngineRecord("move-task", "b", '{"moved":0}');

        await restart();

        assert.deepEqual(byKindAndKey(store.load().engineRecords ?? []), [
          { kind: "deleted-queue-name", key: "a", value: '{"deletedAt":5}' },
          { kind: "move-task", key: "a", value: '{"moved":2}' },
          { kind: "move-task", key: "b", value: '{"moved":0}' },
        ]);
      });

      it("a put of undefined forgets a record, committed or buffered", async () => {
        store.putEngineRecord("deleted-queue-name", "committed", "{}");
        await committed(store);
        store.putEngineRecord("deleted-queue-name", "buffered", "{}");
        store.putEngineRecord("deleted-queue-name", "committed", undefined);
        store.putEngineRecord("deleted-queue-name", "buffered", undefined);
        store.putEngineRecord("deleted-queue-name", "kept", "{}");

        await restart();

        assert.deepEqual(store.load().engineRecords, [
          { kind: "deleted-queue-name", key: "kept", value: "{}" },
        ]);
      });

      it("removing a queue leaves them alone", async () => {
        store.putQueue(queue(1));
        store.putEngineRecord("move-task", "t", "{}");
        store.removeQueue(1);

        await restart();

        assert.deepEqual(store.load().engineRecords, [
          { kind: "move-task", key: "t", value: "{}" },
        ]);
      });
    });

    describe("whenCommitted", () => {
      it("calls back at once when nothing is pending", () => {
        let called = false;
        store.whenCommitted((error) => {
          assert.equal(error, undefined);
          called = true;
        });
        assert.ok(called, "synchronously");
      });

      it("calls every waiting callback once, in order, after the writes are durable", async () => {
        const calls: string[] = [];
        store.insertMessage(message(1), payload());
        store.whenCommitted((error) => calls.push(`first ${error ?? "ok"}`));
        store.putQueue(queue(1));
        store.whenCommitted((error) => calls.push(`second ${error ?? "ok"}`));
        await committed(store);
        assert.deepEqual(calls, ["first ok", "second ok"]);

        // Once called back, the writes survive a restart.
        store = harness.reopen(store);
        assert.deepEqual(seqs(store.load().messages), [1]);
        assert.deepEqual(store.load().queues, [queue(1)]);
      });

      it("a callback that writes again is called back for those writes too", async () => {
        const done = new Promise<void>((resolve, reject) => {
          store.insertMessage(message(1), payload());
          store.whenCommitted(() => {
            store.deleteMessage(1);
            store.whenCommitted((error) => (error ? reject(error) : resolve()));
          });
        });
        await done;
        store = harness.reopen(store);
        assert.deepEqual([...store.load().messages], []);
      });
    });

    describe("beforeCommit", () => {
      it("runs the work after the current code, and commits what it writes with the turn's writes", async () => {
        // Given a write of this turn, and work that writes too
        const calls: string[] = [];
        store.insertMessage(message(1), payload());
        store.beforeCommit(() => {
          calls.push("work");
          store.insertMessage(message(2), payload());
        });
        calls.push("after scheduling");

        // When the turn ends
        await new Promise((resolve) => setImmediate(resolve));
        await committed(store);

        // Then the work ran later, and both writes survive a restart
        assert.deepEqual(calls, ["after scheduling", "work"]);
        store = harness.reopen(store);
        assert.deepEqual(seqs(store.load().messages), [1, 2]);
      });
    });

    it("close commits what is pending, and everything is there after reopening", () => {
      let callbackError: Error | undefined | null = null;
      store.putQueue(queue(1));
      store.insertMessage(message(1), payload({ body: "last words" }));
      store.putDedupEntry(dedup(1, "a", 1));
      store.whenCommitted((error) => (callbackError = error));
      store.close();
      assert.equal(callbackError, undefined, "the waiting callback ran, without an error");

      store = harness.reopen(store);

      const state = store.load();
      assert.deepEqual(state.queues, [queue(1)]);
      assert.deepEqual(seqs(state.messages), [1]);
      assert.deepEqual(state.dedupEntries, [dedup(1, "a", 1)]);
      assert.equal(store.readPayload(1)?.body, "last words");
    });
  });
}

/** Resolves once the store's pending writes are committed; rejects with the commit's error. */
export function committed(store: BrokerStore): Promise<void> {
  return new Promise((resolve, reject) =>
    store.whenCommitted((error) => (error ? reject(error) : resolve())),
  );
}

export function queue(id: number, overrides: Partial<QueueRecord> = {}): QueueRecord {
  return {
    id,
    name: `queue-${id}`,
    attributes: {},
    tags: {},
    createdAt: 1_700_000_000_000,
    lastModifiedAt: 1_700_000_000_000,
    lastPurgedAt: 0,
    ...overrides,
  };
}

export function message(seq: number, overrides: Partial<MessageRecord> = {}): MessageRecord {
  return {
    seq,
    queueId: 1,
    sentAt: 1_700_000_000_000 + seq,
    visibleAt: 1_700_000_000_000 + seq,
    receiveCount: 0,
    firstReceivedAt: 0,
    lastReceivedAt: 0,
    ...overrides,
  };
}

/** Message `seq` as its first receive leaves it: hidden for 30 s, received once. */
function receivedOnce(seq: number): MessageRecord {
  return message(seq, {
    visibleAt: 1_700_000_030_000,
    receiveCount: 1,
    firstReceivedAt: 1_700_000_000_500,
    lastReceivedAt: 1_700_000_000_500,
  });
}

export function payload(overrides: Partial<MessagePayload> = {}): MessagePayload {
  return {
    messageId: "5fea7756-0ea4-451a-a703-a558b933e274",
    body: "a widget request",
    md5OfBody: "4ab5a9b8b4e3e0e4c7c1e2b84a0c6a4f",
    senderId: "AIDAIENQZJOLO23YVJ4VO",
    ...overrides,
  };
}

export function dedup(
  queueId: number,
  key: string,
  seq: number,
  expiresAt = 1_700_000_300_000,
): DedupRecord {
  return { queueId, key, messageId: `message-${seq}`, seq, expiresAt };
}

function everyByte(): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, i) => i);
}

function seqs(messages: Iterable<MessageRecord>): number[] {
  return [...messages].map((record) => record.seq);
}

function bySeq(records: MessageRecord[]): MessageRecord[] {
  return [...records].sort((a, b) => a.seq - b.seq);
}

function byId(queues: QueueRecord[]): QueueRecord[] {
  return [...queues].sort((a, b) => a.id - b.id);
}

function byKey(entries: DedupRecord[]): DedupRecord[] {
  return [...entries].sort((a, b) => a.queueId - b.queueId || a.key.localeCompare(b.key));
}

function byKindAndKey(records: EngineRecord[]): EngineRecord[] {
  return [...records].sort((a, b) => `${a.kind}/${a.key}`.localeCompare(`${b.kind}/${b.key}`));
}
