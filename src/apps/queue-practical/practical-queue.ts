import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../app-error.ts";
import { queueNameOf, resolveQueueUrl } from "../aws/queue-url.ts";
import { sqsCallSignal } from "../aws/sqs-call-deadline.ts";
import { sqsCallFailure } from "../aws/sqs-call-failure.ts";

/** The queue the practical's sender or receiver works on. */
export interface PracticalQueue {
  readonly url: string;
  /** The queue's name, also when a URL was given. */
  readonly name: string;
  /** SQS makes every queue whose name ends in `.fifo` a FIFO queue, and no other. */
  readonly fifo: boolean;
}

/**
 * Finds the queue by name or URL; a missing one fails with the practical's own
 * line, `Unable to find a Queue by this name <name>`.
 */
export async function connectToQueue(sqs: SQSClient, nameOrUrl: string): Promise<PracticalQueue> {
  const url = await resolveQueueUrl(sqs, nameOrUrl);
  const name = queueNameOf(url);
  return { url, name, fifo: name.endsWith(".fifo") };
}

/**
 * The sender gives FIFO messages no deduplication id, relying on the queue to
 * derive one from the body. Without ContentBasedDeduplication SQS would refuse
 * every message, so this says so once, up front, with the fix.
 */
export async function requireContentBasedDeduplication(
  sqs: SQSClient,
  queue: PracticalQueue,
): Promise<void> {
  let enabled: string | undefined;
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queue.url,
        AttributeNames: ["ContentBasedDeduplication"],
      }),
      { abortSignal: sqsCallSignal() },
    );
    enabled = Attributes?.ContentBasedDeduplication;
  } catch (error) {
    throw sqsCallFailure(error, "read the attributes of", queue.name);
  }
  if (enabled !== "true") {
    throw new AppError(
      `FIFO queue ${queue.name} does not have content-based deduplication, which this sender ` +
        `relies on (it sends no deduplication ids); enable ContentBasedDeduplication on the queue ` +
        `(Terraform: content_based_deduplication = true) and send again`,
    );
  }
}
