import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import Database from "better-sqlite3";
import { ManualClock } from "../../../src/broker/engine/manual-clock.ts";
import { SqsEngine } from "../../../src/broker/engine/sqs-engine.ts";
import { SqliteStore } from "../../../src/broker/storage/sqlite-store.ts";

const MINUTE = 60_000;
const QUEUE = "attempts.fifo";

/**
 * FIFO receive attempts are remembered five minutes, in the queue's memory
 * and as rows of the durable store: most are never retried, so they must go
 * when they expire, and with their queue, not only at the next restart.
 */
describe("receive attempt records", () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  /** An engine on a SQLite store, with `count` messages each of its own group in a FIFO queue. */
  function engineWithMessages(count: number) {
    const dir = mkdtempSync(join(tmpdir(), "mailroom-attempts-"));
    const file = join(dir, "broker.db");
    const store = new SqliteStore({ file });
    const clock = new ManualClock(1_000_000);
    const engine = new SqsEngine({ store, clock });
    cleanups.push(() => {
      engine.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    });
    engine.createQueue(QUEUE, { FifoQueue: "true", ContentBasedDeduplication: "true" });
    for (let first = 0; first < count; first += 10) {
      const entries = Array.from({ length: Math.min(10, count - first) }, (_, i) => ({
        Id: `e${i}`,
        MessageBody: `m${first + i}`,
        MessageGroupId: `g${first + i}`,
      }));
      engine.sendMessageBatch(QUEUE, entries, "test");
    }
    /** Receives one message with its own attempt id. */
    const receiveWithAttempt = (id: string) => {
      const received = engine.receiveMessage(QUEUE, { ReceiveRequestAttemptId: id });
      assert.ok(Array.isArray(received) && received.length === 1, id);
      return received[0]!;
    };
    /** The attempt rows committed to the database, once this turn's writes are. */
    const attemptRows = async () => {
      await new Promise<void>((resolve, reject) =>
        store.whenCommitted((error) => (error ? reject(error) : resolve())),
      );
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const row = db
          .prepare("SELECT count(*) AS n FROM engine_records WHERE kind = 'receive-attempt'")
          .get() as { n: number };
        return row.n;
      } finally {
        db.close();
      }
    };
    return { engine, store, clock, receiveWithAttempt, attemptRows };
  }

  it("forgets expired attempts at the expiry sweep, at most 1,000 a sweep, on disk too", async () => {
    // Given 2,500 receives, each with its own attempt id, never retried
    const { store, clock, receiveWithAttempt, attemptRows } = engineWithMessages(2_500);
    for (let i = 0; i < 2_500; i++) receiveWithAttempt(`attempt-${i}`);
    assert.equal(await attemptRows(), 2_500);

    // When their five minutes pass, with no other attempt on the queue
    let timersFired = 0;
    const setTimer = clock.setTimer.bind(clock);
    clock.setTimer = (delayMs, callback) =>
      setTimer(delayMs, () => {
        timersFired++;
        callback();
      });
    const forgottenPerTimer = new Map<number, number>();
    const put = store.putEngineRecord.bind(store);
    store.putEngineRecord = (kind, key, value) => {
      if (kind === "receive-attempt" && value === undefined) {
        forgottenPerTimer.set(timersFired, (forgottenPerTimer.get(timersFired) ?? 0) + 1);
      }
      put(kind, key, value);
    };
    clock.advance(5 * MINUTE + 1_000);

    // Then every one is gone from the database, in sweeps of at most 1,000
    assert.equal(await attemptRows(), 0);
    const perSweep = [...forgottenPerTimer.values()];
    assert.equal(
      perSweep.reduce((sum, n) => sum + n, 0),
      2_500,
    );
    assert.ok(Math.max(...perSweep) <= 1_000, `forgotten per sweep: ${perSweep.join(", ")}`);

    // And an attempt made when nothing else is due to expire soon is
    // forgotten five minutes on too: the messages came back from their
    // visibility timeout, their deduplication ids are long gone
    const late = receiveWithAttempt("late");
    assert.equal(
      receiveWithAttempt("late").MessageId,
      late.MessageId,
      "retried within five minutes",
    );
    assert.equal(await attemptRows(), 1);
    clock.advance(5 * MINUTE + 1_000);
    assert.equal(await attemptRows(), 0);
  });

  it("drops a deleted queue's attempts with it, on disk too", async () => {
    // Given three attempts on a queue
    const { engine, receiveWithAttempt, attemptRows } = engineWithMessages(3);
    for (const id of ["a", "b", "c"]) receiveWithAttempt(id);
    assert.equal(await attemptRows(), 3);

    // When the queue is deleted, then its attempts are gone at once
    engine.deleteQueue(QUEUE);
    assert.equal(await attemptRows(), 0);
  });
});
