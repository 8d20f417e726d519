import { SQSServiceException } from "@aws-sdk/client-sqs";
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
  const reason = error instanceof Error ? describeSqsError(error) : String(error);
  return new AppError(`cannot ${action} queue ${queue}: ${reason}`, 1, { cause: error });
}

/**
 * What SQS (or whatever answered instead) said, on one line: the error's name
 * and the first line of its message (the SDK adds lines about its own hidden
 * fields), with a hint where the answer shows the fix: another service on
 * the port, or keys the endpoint does not take.
 */
export function describeSqsError(error: Error): string {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const notSqs =
    !isSqsAnswer(error) &&
    (error instanceof SyntaxError || error.name.startsWith("Unknown") || status === 404);
  const unsigned = SIGNATURE_REFUSALS.has(error.name);
  return (
    `${error.name}: ${error.message.split("\n")[0]}` +
    (notSqs ? " (is the endpoint an SQS service?)" : "") +
    (unsigned
      ? " (the endpoint checks signatures: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to one of its keys, or pass --profile)"
      : "")
  );
}

/**
 * Whether SQS itself could have said this: an error the SDK read a code and a
 * message from (`InvalidAddress` for a URL with a trailing slash, on a 404).
 * For a 404 without them, as any web server sends, the SDK makes one up from
 * the status: `NotFound` or `Unknown`, with the message `Unknown`. (An SQS
 * message may begin with the word, as `Unknown Attribute ...` does.)
 */
function isSqsAnswer(error: Error): boolean {
  return (
    error instanceof SQSServiceException &&
    !error.name.startsWith("Unknown") &&
    !MADE_UP_MESSAGES.has(error.message)
  );
}

/** The messages the SDK gives an error whose answer had none. */
const MADE_UP_MESSAGES = new Set(["Unknown", "UnknownError"]);

/** What a service that checks signatures answers a request signed with keys it does not take. */
const SIGNATURE_REFUSALS = new Set([
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "MissingAuthenticationToken",
  "UnrecognizedClientException",
]);
