import { GetQueueAttributesCommand, ReceiveMessageCommand } from "@aws-sdk/client-sqs";
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
 * Why requests were set aside: reads the dead-letter queue's messages (leaving
 * them there, hidden for a minute) and counts their `set-aside-reason`s.
 */
export async function setAsideReasons(
  sqs: SQSClient,
  deadLetterQueueUrl: string,
): Promise<Map<string, number>> {
  const reasons = new Map<string, number>();
  const seen = new Set<string>();
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
      const reason =
        message.MessageAttributes?.[SET_ASIDE_REASON_ATTRIBUTE]?.StringValue ??
        "moved by the queue's redrive policy (received too many times)";
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  return reasons;
}
