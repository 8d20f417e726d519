import { SQSClient } from "@aws-sdk/client-sqs";
import type { SQSClientConfig } from "@aws-sdk/client-sqs";
import { clientConfig } from "./aws-connection.ts";
import type { AwsConnection } from "./aws-connection.ts";

export function createSqsClient(connection: AwsConnection): SQSClient {
  return new SQSClient({ ...clientConfig(connection, "sqs"), logger: SDK_NOTES_DROPPED });
}

/**
 * The SQS client's only notes are warnings that a call's `QueueUrl` names
 * another host than the client's endpoint, once a call, straight to stderr
 * when no logger is given. Reaching a queue by its URL is what `--request-queue
 * <url>` and the like mean (see queue-url.ts), and stderr carries the apps' log
 * lines only, so they are dropped; errors still reach the caller as errors.
 */
const SDK_NOTES_DROPPED: NonNullable<SQSClientConfig["logger"]> = {
  trace: () => {},
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};
