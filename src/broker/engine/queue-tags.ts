import { SqsError, errors } from "./errors.ts";
import { firstInvalidCharacter } from "./message-rules.ts";

const MAX_TAGS = 50;

/** Checks tags against SQS's limits: 50 per queue, keys 1-128 and values up to 256 characters. */
export function assertValidTags(queueName: string, tags: Record<string, string>): void {
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) {
    // AWS's text for this is not recorded; the count fills the value slot.
    throw errors.invalidParameter(
      "Tags",
      entries.length,
      `Too many tags added for queue ${queueName}: a queue holds at most ${MAX_TAGS}.`,
    );
  }
  for (const [key, value] of entries) {
    assertCarriable("Tag key", key);
    if (typeof value === "string") assertCarriable("Tag value", value);
    if (key.length < 1 || key.length > 128) {
      throw errors.invalidParameter(
        "Tag key",
        key,
        "Tag keys must be between 1 and 128 characters in length.",
      );
    }
    if (typeof value !== "string" || value.length > 256) {
      throw errors.invalidParameter(
        "Tag value",
        value,
        "Tag values may be up to 256 characters in length.",
      );
    }
  }
}

/**
 * A tag is sent back in XML by the Query protocol: a character XML cannot
 * carry (as a message body cannot hold it) would read differently by protocol.
 */
function assertCarriable(parameter: string, text: string): void {
  const invalid = firstInvalidCharacter(text);
  if (invalid === undefined) return;
  // Not echoed: the value itself could not be carried back in an XML error.
  throw new SqsError(
    "InvalidParameterValue",
    `${parameter} contains the character '${invalid}', which SQS does not allow.`,
  );
}

export function mergeTags(
  queueName: string,
  current: Record<string, string>,
  added: Record<string, string>,
): Record<string, string> {
  const merged = { ...current, ...added };
  assertValidTags(queueName, merged);
  return merged;
}
