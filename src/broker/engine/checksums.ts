import { createHash } from "node:crypto";
import type { MessageAttributes } from "./message-types.ts";

/** MD5OfMessageBody: hex MD5 of the UTF-8 body. */
export function md5OfBody(body: string): string {
  return createHash("md5").update(body, "utf8").digest("hex");
}

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes), as SDKs verify it:
 * attributes sorted by name; for each, length-prefixed name, length-prefixed
 * data type, one transport byte (1 string/number, 2 binary), length-prefixed
 * value. Lengths are 4-byte big-endian. Undefined when there are no attributes.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: MessageAttributes | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash("md5");
  for (const name of names) {
    const value = attributes[name]!;
    appendLengthPrefixed(hash, Buffer.from(name, "utf8"));
    appendLengthPrefixed(hash, Buffer.from(value.DataType, "utf8"));
    if (value.BinaryValue !== undefined && value.DataType.startsWith("Binary")) {
      hash.update(TRANSPORT_BINARY);
      appendLengthPrefixed(hash, value.BinaryValue);
    } else {
      hash.update(TRANSPORT_STRING);
      appendLengthPrefixed(hash, Buffer.from(value.StringValue ?? "", "utf8"));
    }
  }
  return hash.digest("hex");
}

const TRANSPORT_STRING = Uint8Array.of(1);
const TRANSPORT_BINARY = Uint8Array.of(2);

function appendLengthPrefixed(hash: ReturnType<typeof createHash>, bytes: Uint8Array): void {
  const length = Buffer.allocUnsafe(4);
  length.writeUInt32BE(bytes.length, 0);
  hash.update(length);
  hash.update(bytes);
}

/** SHA-256 of the body: the deduplication id of a content-based-dedup FIFO queue. */
export function contentDeduplicationId(body: string): string {
  return createHash("sha256").update(body, "utf8").digest("hex");
}
