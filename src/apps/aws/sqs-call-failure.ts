import { AppError } from "../app-error.ts";
import { describeConnectionError } from "./connection-errors.ts";
import { isAbortedCall, sqsDidNotAnswer } from "./sqs-call-deadline.ts";

/**
 * Turns an SDK error from a call on `queue` into one line a person can act on
 * (an unreachable endpoint, missing credentials, no answer in time, a refused
 * call), keeping the SDK error as `cause`. `action` reads before the queue:
 * `cannot send to queue q`, `SQS did not answer within 10 s (send to q)`.
 */
export function sqsCallFailure(error: unknown, action: string, queue: string): unknown {
  const described = describeConnectionError(error, "SQS");
  if (described instanceof AppError) return described;
  if (isAbortedCall(error)) return sqsDidNotAnswer(action, queue, error);
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new AppError(`cannot ${action} queue ${queue}: ${reason}`, 1, { cause: error });
}
