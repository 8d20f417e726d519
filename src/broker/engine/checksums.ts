import { hash } from "node:crypto";
import type { MessageAttributes } from "./message-types.ts";

// One-shot `hash()` rather than `createHash().update().digest()`: no Hash
// object per call, measured about half the time (1.1 µs instead of 2.3 µs
// for a 100-byte body), and every send computes one or two of these.

/** MD5OfMessageBody: hex MD5 of the UTF-8 body. */
export function md5OfBody(body: string): string {
  return hash("md5", body, "hex");
}

/**
 * MD5OfMessageAttributes (and MD5OfMessageSystemAttributes), as SDKs verify it:
 * attributes sorted by name; for each, length-prefixed name, length-prefixed
 * data type, one transport byte (1 string/number, 2 binary), length-prefixed
 * value. Lengths are 4-byte big-endian. Undefined when there are no attributes.
 * The bytes are laid out in one buffer and hashed at once.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: MessageAttributes | undefined): string | undefined {
  if (!attributes) return undefined;
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  // Upper bound of the encoded size: 3 bytes per UTF-16 unit covers any string.
  let bound = 0;
  for (const name of names) {
    const value = attributes[name]!;
    bound += 13 + 3 * (name.length + value.DataType.length);
    bound += isBinary(value) ? value.BinaryValue!.length : 3 * (value.StringValue ?? "").length;
  }
  const bytes = Buffer.allocUnsafe(bound);
  let at = 0;
  for (const name of names) {
    const value = attributes[name]!;
    at = writeLengthPrefixedText(bytes, at, name);
    at = writeLengthPrefixedText(bytes, at, value.DataType);
    if (isBinary(value)) {
      bytes[at++] = TRANSPORT_BINARY;
      const binary = value.BinaryValue!;
      at = bytes.writeUInt32BE(binary.length, at);
      bytes.set(binary, at);
      at += binary.length;
    } else {
      bytes[at++] = TRANSPORT_STRING;
      at = writeLengthPrefixedText(bytes, at, value.StringValue ?? "");
    }
  }
  return hash("md5", bytes.subarray(0, at), "hex");
}

const TRANSPORT_STRING = 1;
const TRANSPORT_BINARY = 2;

function isBinary(value: MessageAttributes[string]): boolean {
  return value.BinaryValue !== undefined && value.DataType.startsWith("Binary");
}

/** Writes the UTF-8 text after its 4-byte big-endian length; returns the offset after it. */
function writeLengthPrefixedText(bytes: Buffer, at: number, text: string): number {
  const length = bytes.write(text, at + 4, "utf8");
  bytes.writeUInt32BE(length, at);
  return at + 4 + length;
}

/** SHA-256 of the body: the deduplication id of a content-based-dedup FIFO queue. */
export function contentDeduplicationId(body: string): string {
  return hash("sha256", body, "hex");
}
