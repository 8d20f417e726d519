import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { queueNameOf } from "../aws/queue-url.ts";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";

/** A queue's redrive settings, as its consumers need them. */
export interface DeadLetterTarget {
  readonly queueUrl: string;
  readonly queueName: string;
  readonly maxReceiveCount: number;
}

/**
 * Reads the queue's RedrivePolicy and finds its dead-letter queue's URL, so a
 * consumer can move an invalid request there at once (with its reason)
 * instead of letting it be received `maxReceiveCount` times first. A call
 * SQS does not answer within 10 s fails as `SQS did not answer within 10 s (...)`.
 */
export async function findDeadLetterQueue(
  sqs: SQSClient,
  queueUrl: string,
): Promise<DeadLetterTarget | undefined> {
  const { Attributes } = await sqs
    .send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }),
      { abortSignal: sqsCallSignal() },
    )
    .catch((error: unknown) => {
      throw explainNoAnswer(error, "read the redrive policy of", queueNameOf(queueUrl));
    });
  if (!Attributes?.RedrivePolicy) return undefined;
  const policy = JSON.parse(Attributes.RedrivePolicy) as {
    deadLetterTargetArn?: string;
    maxReceiveCount?: number | string;
  };
  if (!policy.deadLetterTargetArn) return undefined;
  // arn:aws:sqs:<region>:<account>:<name>
  const [, , , , account, queueName] = policy.deadLetterTargetArn.split(":");
  if (!queueName) return undefined;
  const { QueueUrl } = await sqs
    .send(new GetQueueUrlCommand({ QueueName: queueName, QueueOwnerAWSAccountId: account }), {
      abortSignal: sqsCallSignal(),
    })
    .catch((error: unknown) => {
      throw explainNoAnswer(error, "look up", queueName);
    });
  if (!QueueUrl) return undefined;
  return { queueUrl: QueueUrl, queueName, maxReceiveCount: Number(policy.maxReceiveCount) };
}
