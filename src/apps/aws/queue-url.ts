import { GetQueueAttributesCommand, GetQueueUrlCommand } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../app-error.ts";
import { describeConnectionError } from "./connection-errors.ts";
import { isMissingQueue } from "./missing-queue.ts";
import { isAbortedCall, sqsCallSignal, sqsDidNotAnswer } from "./sqs-call-deadline.ts";
import { describeSqsError } from "./sqs-call-failure.ts";

/**
 * Accepts a queue name or a queue URL (as the course's programs do) and
 * returns the URL, asking the service so a missing queue fails early with the
 * practical's message: `Unable to find a Queue by this name <name>`. A URL is
 * used as given: on AWS it names its queue's account and region, which a
 * lookup by name would replace with the caller's (and find another queue of
 * that name, or none).
 */
export async function resolveQueueUrl(
  sqs: SQSClient,
  nameOrUrl: string,
  /** Ends the look-up (a command stopped while starting); the caller reports that stop. */
  stop?: AbortSignal,
): Promise<string> {
  const isUrl = /^https?:\/\//.test(nameOrUrl);
  try {
    if (isUrl) {
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: nameOrUrl, AttributeNames: ["QueueArn"] }),
        { abortSignal: sqsCallSignal({ stop }) },
      );
      return nameOrUrl;
    }
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: nameOrUrl }), {
      abortSignal: sqsCallSignal({ stop }),
    });
    if (!QueueUrl) throw new AppError(`Unable to find a Queue by this name ${nameOrUrl}`);
    return QueueUrl;
  } catch (error) {
    if (isMissingQueue(error)) {
      throw new AppError(`Unable to find a Queue by this name ${nameOrUrl}`, 1, { cause: error });
    }
    // A queue shared with the caller may allow sending but not reading its attributes.
    if (isUrl && (isNamed(error, "AccessDenied") || isNamed(error, "AccessDeniedException"))) {
      return nameOrUrl;
    }
    if (error instanceof AppError) throw error;
    if (isAbortedCall(error)) throw sqsDidNotAnswer("look up", nameOrUrl, error);
    throw cannotUseQueue(error, nameOrUrl);
  }
}

/**
 * The first call to SQS is where a wrong endpoint shows (another service's
 * port, TLS against plain HTTP...): one line naming the error, not a stack.
 */
function cannotUseQueue(error: unknown, nameOrUrl: string): unknown {
  const described = describeConnectionError(error, "SQS");
  if (described !== error || !(error instanceof Error)) return described;
  return new AppError(`cannot use the queue ${nameOrUrl}: ${describeSqsError(error)}`, 1, {
    cause: error,
  });
}

/** The queue name a queue URL ends with (`http://host/000000000000/cs5260-requests`). */
export function queueNameOf(queueUrl: string): string {
  return decodeURIComponent(new URL(queueUrl).pathname.split("/").filter(Boolean).at(-1) ?? "");
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
