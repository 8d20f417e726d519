import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { Message } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { explainNoAnswer, sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import type { DeadLetterTarget } from "../sources/dead-letter-queue.ts";

/** Message attribute of a dead-lettered job: why it was given up. */
export const JOB_ERROR_ATTRIBUTE = "job-error";

/**
 * Copies a job's message to the dead-letter queue with why it was given up
 * (`job-error`) and where it came from (`source-queue`); the caller deletes
 * the original after. A crash between the two leaves a copy in both, which
 * is safe: the job's id is in its body.
 */
export async function copyToDeadLetterQueue(
  sqs: SQSClient,
  message: Message,
  target: DeadLetterTarget,
  sourceQueue: string,
  reason: string,
): Promise<void> {
  await sqs
    .send(
      new SendMessageCommand({
        QueueUrl: target.queueUrl,
        MessageBody: message.Body || "(empty)",
        MessageAttributes: {
          [JOB_ERROR_ATTRIBUTE]: { DataType: "String", StringValue: reason.slice(0, 1000) || "?" },
          "source-queue": { DataType: "String", StringValue: sourceQueue },
        },
        ...(target.queueName.endsWith(".fifo")
          ? { MessageGroupId: "dead-letters", MessageDeduplicationId: message.MessageId }
          : {}),
      }),
      { abortSignal: sqsCallSignal() },
    )
    .catch((error: unknown) => {
      throw explainNoAnswer(error, "send to", target.queueName);
    });
}
