import { GetQueueUrlCommand, QueueDoesNotExist } from "@aws-sdk/client-sqs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { AppError } from "../app-error.ts";

/**
 * Accepts a queue name or a queue URL (as the course's programs do) and
 * returns the URL, asking the service so a missing queue fails early with the
 * practical's message: `Unable to find a Queue by this name <name>`.
 */
export async function resolveQueueUrl(sqs: SQSClient, nameOrUrl: string): Promise<string> {
  const queueName = /^https?:\/\//.test(nameOrUrl) ? queueNameOf(nameOrUrl) : nameOrUrl;
  try {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
    if (!QueueUrl) throw new AppError(`Unable to find a Queue by this name ${nameOrUrl}`);
    return QueueUrl;
  } catch (error) {
    if (
      error instanceof QueueDoesNotExist ||
      isNamed(error, "AWS.SimpleQueueService.NonExistentQueue")
    ) {
      throw new AppError(`Unable to find a Queue by this name ${nameOrUrl}`, 1, { cause: error });
    }
    throw describeConnectionError(error, "SQS");
  }
}

/** The queue name a queue URL ends with (`http://host/000000000000/cs5260-requests`). */
export function queueNameOf(queueUrl: string): string {
  return decodeURIComponent(new URL(queueUrl).pathname.split("/").filter(Boolean).at(-1) ?? "");
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/**
 * Turns "cannot reach the endpoint" and "no credentials" into one readable
 * line; anything else is returned unchanged.
 */
export function describeConnectionError(error: unknown, service: string): unknown {
  if (!(error instanceof Error)) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new AppError(`cannot reach ${service}: ${error.message}`, 1, { cause: error });
  }
  if (error.name === "CredentialsProviderError") {
    return new AppError(
      `no AWS credentials for ${service}: set AWS_PROFILE or AWS_ACCESS_KEY_ID, pass --profile, or use --endpoint-url for a local service`,
      1,
      { cause: error },
    );
  }
  return error;
}
