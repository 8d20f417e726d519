import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import type { IdSource } from "../../../src/broker/engine/ids.ts";
import { startTestBroker } from "../../support/broker-harness.ts";
import type { TestBroker } from "../../support/broker-harness.ts";

/** Ids in the shape of the random ones (UUIDs), numbered from 1 in the order they are asked for. */
function countingIds(): IdSource {
  let messages = 0;
  let tasks = 0;
  const numbered = (prefix: string, n: number) =>
    `${prefix}-0000-4000-8000-${String(n).padStart(12, "0")}`;
  return {
    messageId: () => numbered("00000000", ++messages),
    taskId: () => numbered("7a5c0000", ++tasks),
  };
}

describe("an injected id source", () => {
  let broker: TestBroker;
  before(async () => (broker = await startTestBroker({ ids: countingIds() })));
  after(() => broker.close());

  const receiveIds = async (QueueUrl: string, VisibilityTimeout?: number) =>
    (
      (
        await broker.sqs.send(
          new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout }),
        )
      ).Messages ?? []
    )
      .map((message) => message.MessageId)
      .sort();

  it("names the messages sent and received, and the move tasks, in its order", async () => {
    // Given a source queue that dead-letters a message on its second receive
    const dlqUrl = await broker.createQueue({}, "dlq");
    const dlqArn = (
      await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes!.QueueArn!;
    const sourceUrl = await broker.createQueue({
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 1 }),
    });

    // When a message is sent alone, then two in a batch
    const sent = await broker.sqs.send(
      new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: "one" }),
    );
    const batch = await broker.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: sourceUrl,
        Entries: [
          { Id: "a", MessageBody: "two" },
          { Id: "b", MessageBody: "three" },
        ],
      }),
    );

    // Then SendMessage, SendMessageBatch and ReceiveMessage answer the source's ids
    assert.equal(sent.MessageId, "00000000-0000-4000-8000-000000000001");
    assert.deepEqual(
      batch.Successful?.map((entry) => [entry.Id, entry.MessageId]),
      [
        ["a", "00000000-0000-4000-8000-000000000002"],
        ["b", "00000000-0000-4000-8000-000000000003"],
      ],
    );
    const ids = [1, 2, 3].map((n) => `00000000-0000-4000-8000-00000000000${n}`);
    assert.deepEqual(await receiveIds(sourceUrl, 0), ids);

    // And the messages keep their ids in the dead-letter queue
    assert.deepEqual(await receiveIds(sourceUrl), []);
    assert.deepEqual(await receiveIds(dlqUrl, 0), ids);

    // When they are moved back
    const { TaskHandle } = await broker.sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlqArn }),
    );

    // Then the task's handle carries the source's task id
    const decoded = JSON.parse(Buffer.from(TaskHandle!, "base64").toString("utf8"));
    assert.deepEqual(decoded, {
      taskId: "7a5c0000-0000-4000-8000-000000000001",
      sourceArn: dlqArn,
    });
    broker.clock.advance(1_000);
    const [task] =
      (await broker.sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results ?? [];
    assert.equal(task?.Status, "COMPLETED");

    // And the moved messages are new ones, named by the source's next ids
    assert.deepEqual(
      await receiveIds(sourceUrl),
      [4, 5, 6].map((n) => `00000000-0000-4000-8000-00000000000${n}`),
    );
  });
});
