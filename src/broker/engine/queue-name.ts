import { SqsError } from "./errors.ts";

const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;

/**
 * Checks a queue name against SQS's rules: 1-80 characters of alphanumerics,
 * hyphens and underscores; a FIFO queue's name ends in `.fifo` (counted in the 80).
 */
export function assertValidQueueName(name: string, fifo: boolean): void {
  if (fifo) {
    if (!FIFO_NAME.test(name)) {
      throw new SqsError(
        "InvalidParameterValue",
        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.",
      );
    }
    return;
  }
  if (!STANDARD_NAME.test(name)) {
    throw new SqsError(
      "InvalidParameterValue",
      "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length",
    );
  }
}
