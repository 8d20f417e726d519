import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ManualClock } from "../../../src/broker/engine/manual-clock.ts";
import { SqsEngine } from "../../../src/broker/engine/sqs-engine.ts";
import { MemoryStore } from "../../../src/broker/storage/memory-store.ts";

const DLQ_ARN = "arn:aws:sqs:us-east-1:000000000000:dlq";

/** An engine with a dead-letter queue `dlq` (fed by `source`), on a store the test can look into. */
function engineWithDeadLetterQueue() {
  const store = new MemoryStore();
  const clock = new ManualClock(1_000_000);
  const engine = new SqsEngine({ store, clock, relaxedTiming: true });
  engine.createQueue("dlq");
  engine.createQueue("source", {
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 1 }),
  });
  const storedTasks = () =>
    store.load().engineRecords.filter((record) => record.kind === "move-task");
  return { engine, clock, storedTasks };
}

/**
 * Move tasks are kept in memory and in the store, keyed by their source
 * queue's ARN: what is kept must stay bounded, and must not outlive the queue.
 */
describe("move task records", () => {
  it("keeps the ten newest tasks of a source, as many as ListMessageMoveTasks shows", () => {
    const { engine, clock, storedTasks } = engineWithDeadLetterQueue();
    for (let i = 0; i < 12; i++) {
      engine.startMessageMoveTask(DLQ_ARN);
      clock.advance(1_000);
    }

    assert.equal(storedTasks().length, 10);
    const listed = engine.listMessageMoveTasks(DLQ_ARN, 10);
    assert.deepEqual(
      listed.map((task) => task.StartedTimestamp),
      Array.from({ length: 10 }, (_, i) => 1_000_000 + (11 - i) * 1_000),
    );
    engine.close();
  });

  it("forgets a deleted queue's tasks, so the queue created again under its name has none", () => {
    const { engine, clock, storedTasks } = engineWithDeadLetterQueue();
    engine.startMessageMoveTask(DLQ_ARN);
    clock.advance(1_000);

    engine.deleteQueue("dlq");
    engine.createQueue("dlq");

    assert.deepEqual(engine.listMessageMoveTasks(DLQ_ARN, 10), []);
    assert.deepEqual(storedTasks(), []);
    engine.close();
  });

  it("waits a tick between looks while a FIFO group is locked, writing nothing, then moves it", () => {
    // Given a FIFO dead-letter queue holding three messages of one group, the first in flight
    const store = new MemoryStore();
    const clock = new ManualClock(1_000_000);
    const engine = new SqsEngine({ store, clock, relaxedTiming: true });
    const fifoDlqArn = "arn:aws:sqs:us-east-1:000000000000:dlq.fifo";
    engine.createQueue("dlq.fifo", { FifoQueue: "true" });
    engine.createQueue("source.fifo", {
      FifoQueue: "true",
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: fifoDlqArn, maxReceiveCount: 1 }),
    });
    for (const body of ["m1", "m2", "m3"]) {
      engine.sendMessage(
        "source.fifo",
        { MessageBody: body, MessageGroupId: "g", MessageDeduplicationId: body },
        "test",
      );
    }
    for (let i = 0; i < 2; i++) {
      engine.receiveMessage("source.fifo", { MaxNumberOfMessages: 10, VisibilityTimeout: 0 });
    }
    const [held] = engine.receiveMessage("dlq.fifo", {
      MaxNumberOfMessages: 1,
      VisibilityTimeout: 120,
    }) as { Body: string }[];
    assert.equal(held?.Body, "m1");

    // When a move task starts, and a second passes
    let writes = 0;
    const put = store.putEngineRecord.bind(store);
    store.putEngineRecord = (kind, key, value) => {
      if (kind === "move-task") writes++;
      put(kind, key, value);
    };
    engine.startMessageMoveTask(fifoDlqArn);
    clock.advance(1_000);

    // Then it is still running, has moved nothing and written only its start
    const [running] = engine.listMessageMoveTasks(fifoDlqArn);
    assert.equal(running?.Status, "RUNNING");
    assert.equal(running?.ApproximateNumberOfMessagesMoved, 0);
    assert.equal(writes, 1);

    // And once the held message's visibility ends, it moves all three
    clock.advance(120_000);
    const [done] = engine.listMessageMoveTasks(fifoDlqArn);
    assert.equal(done?.Status, "COMPLETED");
    assert.equal(done?.ApproximateNumberOfMessagesMoved, 3);
    engine.close();
  });
});
