import { createHash } from "node:crypto";

/** A message attribute as clients hold it: binary values as bytes, or base64 as the AWS CLI prints them. */
export interface AttributeForMd5 {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Uint8Array | string;
}

/** MD5OfBody / MD5OfMessageBody: hex MD5 of the UTF-8 body. */
export function md5OfBody(body: string): string {
  return createHash("md5").update(body, "utf8").digest("hex");
}

/**
 * MD5OfMessageAttributes computed here, independently of the broker's code,
 * the way AWS documents it: names sorted; each name, data type and value
 * prefixed by its 4-byte big-endian length, a transport byte (1 String or
 * Number, 2 Binary, by the data type) before the value.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: Record<string, AttributeForMd5>): string {
  const hash = createHash("md5");
  const lengthPrefixed = (bytes: Uint8Array) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const { DataType = "", StringValue = "", BinaryValue } = attributes[name]!;
    lengthPrefixed(Buffer.from(name, "utf8"));
    lengthPrefixed(Buffer.from(DataType, "utf8"));
    if (DataType.startsWith("Binary")) {
      hash.update(Uint8Array.of(2));
      lengthPrefixed(
        typeof BinaryValue === "string"
          ? Buffer.from(BinaryValue, "base64")
          : (BinaryValue ?? new Uint8Array()),
      );
    } else {
      hash.update(Uint8Array.of(1));
      lengthPrefixed(Buffer.from(StringValue, "utf8"));
    }
  }
  return hash.digest("hex");
}
