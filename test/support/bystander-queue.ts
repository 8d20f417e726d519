import assert from "node:assert/strict";
import { GetQueueAttributesCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { TestBroker } from "./broker-harness.ts";

const MESSAGES = 3;

/**
 * A queue no test touches, holding three visible messages: after each bad
 * request, `assertUntouched` checks the server still answers and the
 * bystander's messages are all still there and visible.
 */
export async function createBystanderQueue(
  broker: TestBroker,
): Promise<{ assertUntouched(): Promise<void> }> {
  const QueueUrl = await broker.createQueue({}, "bystander");
  for (let i = 0; i < MESSAGES; i++) {
    await broker.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: `b${i}` }));
  }
  return {
    async assertUntouched() {
      const { Attributes } = await broker.sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }),
      );
      assert.equal(Attributes?.ApproximateNumberOfMessages, String(MESSAGES));
      assert.equal(Attributes?.ApproximateNumberOfMessagesNotVisible, "0");
      assert.equal(Attributes?.ApproximateNumberOfMessagesDelayed, "0");
    },
  };
}
