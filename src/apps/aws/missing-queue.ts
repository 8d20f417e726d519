import { QueueDoesNotExist } from "@aws-sdk/client-sqs";

/**
 * Whether SQS answered that the queue does not exist. The SDK names the error
 * `QueueDoesNotExist` over either protocol; the Query code
 * `AWS.SimpleQueueService.NonExistentQueue` is checked too, for an error that
 * reaches us by that name (an SDK whose model does not map it).
 */
export function isMissingQueue(error: unknown): boolean {
  return (
    error instanceof QueueDoesNotExist ||
    (error instanceof Error && error.name === "AWS.SimpleQueueService.NonExistentQueue")
  );
}
