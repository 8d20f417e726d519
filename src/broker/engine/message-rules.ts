import { SqsError, errors } from "./errors.ts";
import type { MessageAttributes, MessageAttributeValue } from "./message-types.ts";

/** The longest visibility timeout, seconds: 12 hours, counted from a message's latest receive. */
export const MAX_VISIBILITY_SECONDS = 43_200;

/** Characters SQS accepts in a body or string attribute (XML 1.0 characters). */
const INVALID_CHARACTER = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** At most this many message attributes per message. */
export const MAX_MESSAGE_ATTRIBUTES = 10;

/** Whether `text` holds a character SQS refuses in a body (the same rules cover attribute types and values). */
export function hasInvalidCharacter(text: string): boolean {
  return INVALID_CHARACTER.test(text);
}

/** The first character of `text` SQS refuses, written as XML names it (`#x1F`), if any. */
export function firstInvalidCharacter(text: string): string | undefined {
  const invalid = INVALID_CHARACTER.exec(text);
  return invalid ? `#x${invalid[0].codePointAt(0)!.toString(16).toUpperCase()}` : undefined;
}

export function assertValidBody(body: string): void {
  if (body.length === 0) throw errors.missingParameter("MessageBody");
  const invalid = firstInvalidCharacter(body);
  if (invalid !== undefined) {
    throw new SqsError(
      "InvalidMessageContents",
      `Invalid binary character '${invalid}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`,
    );
  }
}

/** Checks the message-attribute rules and returns the attributes' size in bytes (names, types and values). */
export function assertValidMessageAttributes(attributes: MessageAttributes | undefined): number {
  if (!attributes) return 0;
  const names = Object.keys(attributes);
  if (names.length > MAX_MESSAGE_ATTRIBUTES) {
    throw new SqsError(
      "InvalidParameterValue",
      `Number of message attributes [${names.length}] exceeds the allowed maximum [${MAX_MESSAGE_ATTRIBUTES}].`,
    );
  }
  let size = 0;
  for (const name of names) {
    assertValidAttributeName(name);
    size += byteLength(name) + assertValidAttributeValue(name, attributes[name]!);
  }
  return size;
}

function assertValidAttributeName(name: string): void {
  if (name.length === 0) {
    // SQS's own text (Query, recorded in aws-sdk-php issue 694).
    throw new SqsError(
      "InvalidParameterValue",
      "The request must contain non-empty message attribute name.",
    );
  }
  const reason = attributeNameProblem(name);
  if (reason) {
    throw new SqsError("InvalidParameterValue", `Message (user) attribute '${name}' ${reason}`);
  }
}

function attributeNameProblem(name: string): string | undefined {
  if (name.length > 256) return "must be shorter than 256 characters.";
  if (!/^[\p{L}\p{N}_\-.]+$/u.test(name)) {
    return "can only contain alphanumeric characters, hyphens (-), underscores (_), and periods (.).";
  }
  if (/^(aws\.|amazon\.)/i.test(name)) return "is using a reserved prefix.";
  if (name.startsWith(".") || name.endsWith(".")) {
    return "must not start or end with a period (.).";
  }
  if (name.includes("..")) return "must not contain successive periods (..).";
  return undefined;
}

/** Returns the size the value adds to the message: its data type plus its value. */
function assertValidAttributeValue(name: string, value: MessageAttributeValue): number {
  const dataType = value.DataType;
  if (!dataType) {
    throw new SqsError(
      "InvalidParameterValue",
      `The message attribute '${name}' must contain non-empty message attribute type.`,
    );
  }
  const baseType = dataType.split(".", 1)[0];
  if (!isValidDataType(dataType, baseType)) {
    throw new SqsError(
      "InvalidParameterValue",
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  // The Developer Guide: an attribute's type "has the same restrictions as the message body".
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
  if (hasInvalidCharacter(dataType)) {
    throw new SqsError(
      "InvalidParameterValue",
      `Message (user) attribute '${name}' type contains invalid characters.`,
    );
  }
  const typeSize = byteLength(dataType);
  if (baseType === "Binary") {
    if (value.BinaryValue === undefined || value.BinaryValue.length === 0) {
      throw new SqsError(
        "InvalidParameterValue",
        `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
      );
    }
    return typeSize + value.BinaryValue.length;
  }
  const text = value.StringValue;
  if (text === undefined || text.length === 0) {
    throw new SqsError(
      "InvalidParameterValue",
      `Message (user) attribute '${name}' must contain a non-empty value of type '${baseType}'.`,
    );
  }
  if (baseType === "Number" && !isSqsNumber(text)) {
    throw new SqsError(
      "InvalidParameterValue",
      `Can't cast the value of message (user) attribute '${name}' to a number.`,
    );
  }
  if (hasInvalidCharacter(text)) {
    throw new SqsError(
      "InvalidParameterValue",
      `Message (user) attribute '${name}' value contains invalid characters.`,
    );
  }
  return typeSize + byteLength(text);
}

function isValidDataType(dataType: string, baseType: string | undefined): boolean {
  if (baseType !== "String" && baseType !== "Number" && baseType !== "Binary") return false;
  if (dataType.length > 256) return false;
  // A custom type label follows one period: "Number.float", "Binary.gif".
  return dataType.length === baseType.length || dataType.length > baseType.length + 1;
}

/**
 * Numbers SQS accepts: up to 38 significant digits, magnitude "between
 * 10^-128 and 10^+126" (both included), or zero. Read off the decimal text,
 * not a double: 38 nines times 10^88 is under 10^126, though it rounds to it.
 */
function isSqsNumber(text: string): boolean {
  const number = /^[+-]?(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?$/.exec(text);
  if (number === null) return false;
  const mantissa = number[1]!;
  const point = mantissa.indexOf(".");
  const digits = mantissa.replace(".", "");
  const first = digits.search(/[1-9]/);
  if (first === -1) return true;
  const significant = digits.slice(first).replace(/0+$/, "");
  if (significant.length > 38) return false;
  // The power of ten of the first significant digit: |value| = d.ddd × 10^order.
  const order = (point === -1 ? digits.length : point) - first - 1 + Number(number[2] ?? 0);
  return order >= -128 && (order < 126 || (order === 126 && significant === "1"));
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
