import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

const BODIES = Array.from({ length: 10 }, (_, i) => `Message ${i}`);

async function sendTen(broker: TestBroker, QueueUrl: string, fifo = false): Promise<void> {
  await broker.sqs.send(
    new SendMessageBatchCommand({
      QueueUrl,
      Entries: BODIES.map((body, i) => ({
        Id: `m${i}`,
        MessageBody: body,
        ...(fifo ? { MessageGroupId: "g", MessageDeduplicationId: `d${i}` } : {}),
      })),
    }),
  );
}

async function receiveTen(broker: TestBroker, QueueUrl: string): Promise<string[]> {
  const { Messages = [] } = await broker.sqs.send(
    new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }),
  );
  return Messages.map((m) => m.Body!);
}

/**
 * SQS standard queues promise best-effort ordering only; the broker makes that
 * visible by answering each receive's messages in no particular order, unless
 * it is started with `strictOrder`. FIFO queues always keep order.
 */
describe("order within a receive", () => {
  let shuffled: TestBroker;
  let strict: TestBroker;
  before(async () => {
    shuffled = await startTestBroker();
    strict = await startTestBroker({ strictOrder: true });
  });
  after(async () => {
    await shuffled.close();
    await strict.close();
  });

  it("is best-effort on a standard queue: all messages, in no particular order", async () => {
    const QueueUrl = await shuffled.createQueue();
    await sendTen(shuffled, QueueUrl);
    const bodies = await receiveTen(shuffled, QueueUrl);
    assert.deepEqual([...bodies].sort(), [...BODIES].sort());
    // One chance in 10! (3.6 million) that a shuffle leaves them as sent.
    assert.notDeepEqual(bodies, BODIES);
  });

  it("is arrival order on a standard queue of a broker started with strictOrder", async () => {
    const QueueUrl = await strict.createQueue();
    await sendTen(strict, QueueUrl);
    assert.deepEqual(await receiveTen(strict, QueueUrl), BODIES);
  });

  it("is always send order on a FIFO queue", async () => {
    const QueueUrl = await shuffled.createFifoQueue();
    await sendTen(shuffled, QueueUrl, true);
    assert.deepEqual(await receiveTen(shuffled, QueueUrl), BODIES);
  });
});
