import type { SqsError } from "./errors.ts";
import { errors } from "./errors.ts";

/**
 * MessageGroupId, MessageDeduplicationId and ReceiveRequestAttemptId: 1-128
 * characters of alphanumerics and punctuation.
 */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

export function assertValidFifoId(
  name: "MessageGroupId" | "MessageDeduplicationId" | "ReceiveRequestAttemptId",
  value: string,
): void {
  if (!FIFO_ID.test(value)) {
    throw errors.invalidParameter(
      name,
      value,
      `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** FIFO sequence numbers are 20-digit decimal strings, growing with every send. */
export function formatSequenceNumber(seq: number): string {
  return "1" + String(seq).padStart(19, "0");
}

export function notValidForQueueType(name: string, value: unknown): SqsError {
  return errors.invalidParameter(
    name,
    value,
    "The request include parameter that is not valid for this queue type.",
  );
}
