import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { queueNameOf } from "../aws/queue-url.ts";
import { isAbortedCall, sqsCallSignal, sqsDidNotAnswer } from "../aws/sqs-call-deadline.ts";

/**
 * Warns when the request queue's redrive policy does not match
 * `--max-receives`: without one, requests the consumer gives up on come back
 * forever; with a different count, they move sooner or later than the
 * consumer expects. A warning only: the consumer works either way.
 */
export async function checkRedrivePolicy(
  sqs: SQSClient,
  queueUrl: string,
  maxReceives: number,
  logger: Logger,
  /** Ends the check: stopped, the consumer has no use for it. */
  stop?: AbortSignal,
): Promise<void> {
  let policy: { maxReceiveCount?: unknown } | undefined;
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["RedrivePolicy"] }),
      { abortSignal: sqsCallSignal({ stop }) },
    );
    const text = Attributes?.RedrivePolicy;
    policy = text ? (JSON.parse(text) as { maxReceiveCount?: unknown }) : undefined;
  } catch (error) {
    // A courtesy that cannot be had is no reason to stop; an SQS that does not answer is.
    if (stop?.aborted) return;
    if (isAbortedCall(error))
      throw sqsDidNotAnswer("read the redrive policy of", queueNameOf(queueUrl), undefined);
    // Permissions on AWS may not include GetQueueAttributes; the check is a courtesy.
    logger.debug({ err: error }, "cannot read the request queue's redrive policy");
    return;
  }
  if (policy === undefined) {
    logger.warn(
      { queueUrl },
      "the request queue has no redrive policy: requests the maker never accepts will keep coming back",
    );
    return;
  }
  const maxReceiveCount = Number(policy.maxReceiveCount);
  if (maxReceiveCount !== maxReceives) {
    logger.warn(
      { queueUrl, maxReceiveCount, maxReceives },
      `the request queue's maxReceiveCount (${maxReceiveCount}) differs from --max-receives (${maxReceives})`,
    );
  }
}
