import { AppError } from "../app-error.ts";
import { describeConnectionError } from "../aws/connection-errors.ts";

/**
 * Turns an SDK error from `action` into one line a person can act on (an
 * unreachable endpoint, missing credentials, a refused call), keeping the SDK
 * error as `cause`.
 */
export function sqsFailure(error: unknown, action: string, queueName: string): unknown {
  const described = describeConnectionError(error, "SQS");
  if (described !== error || !(error instanceof Error)) return described;
  return new AppError(`${action} on ${queueName} failed: ${error.name}: ${error.message}`, 1, {
    cause: error,
  });
}
