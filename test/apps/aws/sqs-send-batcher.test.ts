import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SqsSendBatcher } from "../../../src/apps/aws/sqs-send-batcher.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

describe("SqsSendBatcher", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  it("keeps each batch within SQS's 1 MiB, so heavy sends in one turn all go out", async () => {
    // Given nine sends of 200 KB and a small one, asked for in one turn (1.8 MB in all)
    const QueueUrl = await broker.createQueue();
    const batcher = new SqsSendBatcher(broker.sqs, QueueUrl);
    const bodies = [...Array.from({ length: 9 }, (_, i) => `${i}`.repeat(200_000)), "small"];

    // When they are sent
    const ids = await Promise.all(bodies.map((MessageBody) => batcher.send({ MessageBody })));

    // Then every one was accepted: none failed for being in a batch over 1 MiB
    assert.equal(new Set(ids).size, 10);
    assert.ok(ids.every((id) => id.length > 0));
    assert.equal((await broker.messageCounts(QueueUrl))?.ApproximateNumberOfMessages, "10");
  });

  it("sends any number of small messages, each accepted once", async () => {
    const QueueUrl = await broker.createQueue();
    const batcher = new SqsSendBatcher(broker.sqs, QueueUrl);
    const ids = await Promise.all(
      Array.from({ length: 25 }, (_, i) => batcher.send({ MessageBody: `m${i}` })),
    );
    assert.equal(new Set(ids).size, 25);
    assert.equal((await broker.messageCounts(QueueUrl))?.ApproximateNumberOfMessages, "25");
  });
});
