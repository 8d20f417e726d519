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
});
