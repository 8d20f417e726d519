import assert from "node:assert/strict";
import { testProtocol } from "./broker-harness.ts";

/**
 * SQS's text for an unknown queue, which the Query protocol words
 * differently (recorded against AWS, docs/reference/aws-sqs-behaviour.md §7).
 */
export const QUEUE_DOES_NOT_EXIST_MESSAGE =
  testProtocol === "query"
    ? "The specified queue does not exist for this wsdl version."
    : "The specified queue does not exist.";

/** What a refused request must look like, as an SDK client sees it. */
export interface ExpectedError {
  /** The Query error code (the SDK's `Code`, from `x-amzn-query-error`). */
  code: string;
  /** Exact text; left out where the reference has none. */
  message?: string;
  status?: number;
}

/**
 * Asserts that `request` fails with the given Query error code (the SDK's
 * `Code`, read from `x-amzn-query-error`), HTTP status (400 unless given) and,
 * where given, exact message text.
 */
export async function expectSqsError(
  request: Promise<unknown>,
  expected: ExpectedError,
): Promise<void> {
  const outcome = await request.then(
    () => undefined,
    (error: unknown) =>
      error as { Code?: string; message?: string; $metadata?: { httpStatusCode?: number } },
  );
  assert.ok(outcome, `expected ${expected.code}, but the request succeeded`);
  const withMessage = expected.message !== undefined;
  assert.deepEqual(
    {
      code: outcome.Code,
      status: outcome.$metadata?.httpStatusCode,
      ...(withMessage ? { message: outcome.message } : {}),
    },
    {
      code: expected.code,
      status: expected.status ?? 400,
      ...(withMessage ? { message: expected.message } : {}),
    },
  );
}
