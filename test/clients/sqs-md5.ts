import { createHash } from "node:crypto";

/** A message attribute as the AWS CLI prints it: binary values in base64. */
export interface PrintedAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** MD5OfBody: hex MD5 of the UTF-8 body. */
export function md5OfBody(body: string): string {
  return createHash("md5").update(body, "utf8").digest("hex");
}

/**
 * MD5OfMessageAttributes computed here, independently of the broker's code,
 * the way AWS documents it: names sorted; each name, data type and value
 * prefixed by its 4-byte big-endian length, a transport byte (1 string or
 * number, 2 binary) before the value.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
 */
export function md5OfAttributes(attributes: Record<string, PrintedAttribute>): string {
  const hash = createHash("md5");
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name]!;
    lengthPrefixed(Buffer.from(name, "utf8"));
    lengthPrefixed(Buffer.from(attribute.DataType, "utf8"));
    if (attribute.BinaryValue !== undefined) {
      hash.update(Buffer.of(2));
      lengthPrefixed(Buffer.from(attribute.BinaryValue, "base64"));
    } else {
      hash.update(Buffer.of(1));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? "", "utf8"));
    }
  }
  return hash.digest("hex");
}
