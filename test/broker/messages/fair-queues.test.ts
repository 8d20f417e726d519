import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ReceiveMessageCommand, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

describe("fair queues: MessageGroupId on a standard queue names a tenant", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker()));
  after(() => broker.close());

  const sendAs = async (QueueUrl: string, tenant: string, count: number) => {
    for (let start = 0; start < count; start += 10) {
      const size = Math.min(10, count - start);
      await broker.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl,
          Entries: Array.from({ length: size }, (_, i) => ({
            Id: `m${i}`,
            MessageBody: `${tenant} ${start + i}`,
            MessageGroupId: tenant,
          })),
        }),
      );
    }
  };
  const receiveBodies = async (QueueUrl: string, max: number) => {
    const { Messages } = await broker.sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: max }),
    );
    // Sorted: these tests are about which messages a receive serves; the order
    // within one receive is best-effort on a standard queue.
    return (Messages ?? [])
      .map((m) => m.Body!)
      .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
  };

  it("serves a quiet tenant before a noisy one that holds most messages in flight", async () => {
    // Given tenant A with 60 messages queued ahead of tenant B's 5
    const QueueUrl = await broker.createQueue();
    await sendAs(QueueUrl, "A", 60);
    await sendAs(QueueUrl, "B", 5);

    // When 30 of A's are in flight (A is now noisy: over 10% of in-flight and at least 30)
    for (let i = 0; i < 3; i++) {
      assert.ok((await receiveBodies(QueueUrl, 10)).every((b) => b.startsWith("A ")));
    }

    // Then the next receive serves B's messages first, although 30 of A's are ahead of them
    const next = await receiveBodies(QueueUrl, 10);
    assert.deepEqual(next.filter((b) => b.startsWith("B ")).sort(), [
      "B 0",
      "B 1",
      "B 2",
      "B 3",
      "B 4",
    ]);
  });

  it("keeps send order while no tenant is noisy", async () => {
    const QueueUrl = await broker.createQueue();
    await sendAs(QueueUrl, "A", 20);
    await sendAs(QueueUrl, "B", 5);
    // 20 of A's in flight stay under the 30-message minimum for a noisy tenant.
    assert.deepEqual(
      await receiveBodies(QueueUrl, 10),
      Array.from({ length: 10 }, (_, i) => `A ${i}`),
    );
    assert.deepEqual(
      await receiveBodies(QueueUrl, 10),
      Array.from({ length: 10 }, (_, i) => `A ${i + 10}`),
    );
    assert.deepEqual(await receiveBodies(QueueUrl, 10), ["B 0", "B 1", "B 2", "B 3", "B 4"]);
  });
});
