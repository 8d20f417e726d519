import {
  ChangeMessageVisibilityBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
} from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { SET_ASIDE_REASON_ATTRIBUTE } from "../../apps/sources/sqs-request-source.ts";

/** Messages still on the queue in any state: visible, in flight (being processed or retried) or delayed. */
export async function messagesLeft(sqs: SQSClient, queueUrl: string): Promise<number> {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: [
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
      ],
    }),
  );
  return (
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
  );
}

/**
 * Why requests were set aside: reads the dead-letter queue's messages, counts
 * their `set-aside-reason`s and leaves them there, visible again (so that
 * `--keep-up` shows them in the console as available, not in flight).
 */
export async function setAsideReasons(
  sqs: SQSClient,
  deadLetterQueueUrl: string,
): Promise<Map<string, number>> {
  const reasons = new Map<string, number>();
  const seen = new Set<string>();
  const handles: string[] = [];
  // Bounded: a dead-letter queue of a pipeline run holds a handful of messages.
  for (let round = 0; round < 100; round += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 60,
        WaitTimeSeconds: 0,
        MessageAttributeNames: [SET_ASIDE_REASON_ATTRIBUTE],
      }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      if (seen.has(message.MessageId!)) continue;
      seen.add(message.MessageId!);
      handles.push(message.ReceiptHandle!);
      const reason =
        message.MessageAttributes?.[SET_ASIDE_REASON_ATTRIBUTE]?.StringValue ??
        "moved by the queue's redrive policy (received too many times)";
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  for (let start = 0; start < handles.length; start += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: deadLetterQueueUrl,
        Entries: handles.slice(start, start + 10).map((handle, index) => ({
          Id: String(index),
          ReceiptHandle: handle,
          VisibilityTimeout: 0,
        })),
      }),
    );
  }
  return reasons;
}
