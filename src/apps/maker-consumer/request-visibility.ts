import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Logger } from "pino";
import { queueNameOf } from "../aws/queue-url.ts";
import { isAbortedCall, sqsCallSignal, sqsDidNotAnswer } from "../aws/sqs-call-deadline.ts";

/** SQS's default visibility timeout, assumed when the queue's cannot be read. */
const DEFAULT_VISIBILITY_SECONDS = 30;

/**
 * How long a received request stays hidden: `--visibility-timeout` when
 * given, else the queue's own. The consumer renews it while the maker
 * works, so it must know it.
 */
export async function requestVisibilitySeconds(
  sqs: SQSClient,
  queueUrl: string,
  asked: number | undefined,
  logger: Logger,
  /** Ends the read: stopped, the consumer needs no visibility timeout. */
  stop?: AbortSignal,
): Promise<number> {
  if (asked !== undefined) return asked;
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ["VisibilityTimeout"] }),
      { abortSignal: sqsCallSignal({ stop }) },
    );
    const seconds = Number(Attributes?.VisibilityTimeout);
    if (Number.isFinite(seconds)) return seconds;
  } catch (error) {
    // Refused, it is guessed below; an SQS that does not answer would hang every call after it.
    if (isAbortedCall(error) && !stop?.aborted)
      throw sqsDidNotAnswer("read the visibility timeout of", queueNameOf(queueUrl), undefined);
    // Permissions on AWS may not include GetQueueAttributes: SQS's default is a fair guess.
    logger.debug({ err: error }, "cannot read the request queue's visibility timeout");
  }
  return DEFAULT_VISIBILITY_SECONDS;
}
