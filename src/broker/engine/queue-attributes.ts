import { MAX_VISIBILITY_SECONDS } from "./message-rules.ts";
import { SqsError } from "./errors.ts";
import { JsonTooWideError, MAX_JSON_VALUES, parseClientJson } from "./json-nesting.ts";

/**
 * Every queue attribute SQS knows, as data: whether it can be set, on which
 * queue type, its default and how a value is checked. Values are strings on
 * the wire and stay strings here, normalized ("true"/"false", integers without
 * leading zeros).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
interface AttributeRule {
  /** Only on FIFO queues. */
  fifoOnly?: boolean;
  /** Can be given to CreateQueue but never changed afterwards. */
  createOnly?: boolean;
  /** Value a fresh queue reports (absent: reported only once set). */
  defaultValue?: (fifo: boolean) => string | undefined;
  /** Returns the normalized value or throws. */
  normalize: (value: string, name: string) => string;
}

const integerBetween =
  (min: number, max: number) =>
  (value: string, name: string): string => {
    const trimmed = value.trim();
    if (!/^-?\d+$/.test(trimmed)) throw invalidValue(name);
    const parsed = Number(trimmed);
    if (parsed < min || parsed > max) throw invalidValue(name);
    return String(parsed);
  };

const boolean = (value: string, name: string): string => {
  const lower = value.toLowerCase();
  if (lower !== "true" && lower !== "false") throw invalidValue(name);
  return lower;
};

const oneOf =
  (...allowed: string[]) =>
  (value: string, name: string): string => {
    if (!allowed.includes(value)) throw invalidValue(name);
    return value;
  };

/** Policies are validated in depth elsewhere (redrive-policy.ts); here only that they are JSON or empty. */
/** A JSON object (a policy document), or "" to remove it. */
const jsonObjectOrEmpty = (value: string, name: string): string => {
  if (value === "") return value;
  let parsed: unknown;
  try {
    parsed = parseClientJson(value);
  } catch (error) {
    if (error instanceof JsonTooWideError) {
      throw invalidValue(name, `the JSON holds more than ${MAX_JSON_VALUES} values.`);
    }
    throw invalidValue(name, "failed to parse JSON.");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidValue(name, "the value must be a JSON object.");
  }
  return value;
};

const anyString = (value: string): string => value;

const settableAttributes: Record<string, AttributeRule> = {
  DelaySeconds: { normalize: integerBetween(0, 900), defaultValue: () => "0" },
  MaximumMessageSize: {
    normalize: integerBetween(1024, 1_048_576),
    defaultValue: () => "1048576",
  },
  MessageRetentionPeriod: {
    normalize: integerBetween(60, 1_209_600),
    defaultValue: () => "345600",
  },
  ReceiveMessageWaitTimeSeconds: { normalize: integerBetween(0, 20), defaultValue: () => "0" },
  VisibilityTimeout: {
    normalize: integerBetween(0, MAX_VISIBILITY_SECONDS),
    defaultValue: () => "30",
  },
  Policy: { normalize: jsonObjectOrEmpty },
  RedrivePolicy: { normalize: jsonObjectOrEmpty },
  RedriveAllowPolicy: { normalize: jsonObjectOrEmpty },
  KmsMasterKeyId: { normalize: anyString },
  KmsDataKeyReusePeriodSeconds: { normalize: integerBetween(60, 86_400) },
  SqsManagedSseEnabled: { normalize: boolean, defaultValue: () => "true" },
  FifoQueue: {
    normalize: boolean,
    createOnly: true,
    defaultValue: (fifo) => (fifo ? "true" : undefined),
  },
  ContentBasedDeduplication: {
    normalize: boolean,
    fifoOnly: true,
    defaultValue: (fifo) => (fifo ? "false" : undefined),
  },
  DeduplicationScope: {
    normalize: oneOf("messageGroup", "queue"),
    fifoOnly: true,
    defaultValue: (fifo) => (fifo ? "queue" : undefined),
  },
  FifoThroughputLimit: {
    normalize: oneOf("perQueue", "perMessageGroupId"),
    fifoOnly: true,
    defaultValue: (fifo) => (fifo ? "perQueue" : undefined),
  },
};

/** Attributes SQS computes; they can be read but never set. */
export const computedAttributeNames = [
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "QueueArn",
] as const;

/** The order GetQueueAttributes(All) reports attributes in, as AWS does. */
export const attributeReportOrder = [
  "QueueArn",
  "ApproximateNumberOfMessages",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "CreatedTimestamp",
  "LastModifiedTimestamp",
  "VisibilityTimeout",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "DelaySeconds",
  "ReceiveMessageWaitTimeSeconds",
  "Policy",
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "KmsMasterKeyId",
  "KmsDataKeyReusePeriodSeconds",
  "SqsManagedSseEnabled",
  "FifoQueue",
  "ContentBasedDeduplication",
  "DeduplicationScope",
  "FifoThroughputLimit",
];

/**
 * The rule of a settable attribute. An own property only: a name such as
 * `constructor` or `toString` is an unknown attribute, not Object's method.
 */
export function settableAttribute(name: string): AttributeRule | undefined {
  return Object.hasOwn(settableAttributes, name) ? settableAttributes[name] : undefined;
}

export function isKnownAttributeName(name: string): boolean {
  return (
    settableAttribute(name) !== undefined ||
    (computedAttributeNames as readonly string[]).includes(name)
  );
}

/**
 * Checks and normalizes attributes given to CreateQueue or SetQueueAttributes,
 * each on its own, and the encryption rule among those given. Rules that
 * need the queue's other attributes (redrive targets, throughput mode) are
 * the caller's.
 */
export function normalizeAttributes(
  given: Record<string, string>,
  fifo: boolean,
  creating: boolean,
): Record<string, string> {
  const normalized: Record<string, string> = {};
  for (const [name, value] of Object.entries(given)) {
    const rule = settableAttribute(name);
    if (!rule || (rule.fifoOnly && !fifo && !THROUGHPUT_ATTRIBUTES.includes(name))) {
      throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
    }
    if (rule.fifoOnly && !fifo) {
      throw new SqsError(
        "InvalidAttributeName",
        `You can specify the ${name} only when FifoQueue is set to true.`,
      );
    }
    normalized[name] = rule.normalize(String(value), name);
  }
  if (normalized.FifoQueue !== undefined) {
    // FifoQueue is only ever "true", and only on a FIFO queue; the type is fixed at creation.
    if (!fifo) throw new SqsError("InvalidAttributeName", "Unknown Attribute FifoQueue.");
    if (normalized.FifoQueue === "false") {
      throw invalidValue(
        "FifoQueue",
        creating ? undefined : "Modifying queue type is not supported.",
      );
    }
  }
  if (normalized.KmsMasterKeyId && normalized.SqsManagedSseEnabled === "true") throw sseConflict();
  return normalized;
}

/**
 * "The perMessageGroupId value is allowed only when the value for
 * DeduplicationScope is messageGroup" (API reference), judged on the
 * attributes the queue would have, defaults included: CreateQueue's and
 * SetQueueAttributes' alike, so that a queue is never created in a state
 * that refuses every later change.
 */
export function assertThroughputRule(effective: Record<string, string>, fifo: boolean): void {
  if (
    attributeValue(effective, "FifoThroughputLimit", fifo) === "perMessageGroupId" &&
    attributeValue(effective, "DeduplicationScope", fifo) !== "messageGroup"
  ) {
    throw invalidValue(
      "FifoThroughputLimit",
      "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup",
    );
  }
}

const THROUGHPUT_ATTRIBUTES = ["DeduplicationScope", "FifoThroughputLimit"];

function sseConflict(): SqsError {
  return new SqsError(
    "InvalidAttributeName",
    "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.",
  );
}

/**
 * Server-side encryption is KMS or SQS-managed, never both: setting a KMS key
 * turns SQS-managed SSE off, and clearing the key clears its reuse period too
 * and turns SQS-managed SSE off, unless the same request turns it on (a
 * switch from KMS to SQS-managed SSE, as Terraform sends it).
 * Applies `requested` onto `merged` (the queue's attributes after the change).
 */
export function applyEncryptionRules(
  merged: Record<string, string>,
  requested: Record<string, string>,
): void {
  const key = requested.KmsMasterKeyId;
  if (requested.SqsManagedSseEnabled === "true" && merged.KmsMasterKeyId && key !== "")
    throw sseConflict();
  if (key === undefined) return;
  if (key !== "" || requested.SqsManagedSseEnabled === undefined) {
    merged.SqsManagedSseEnabled = "false";
  }
  if (key === "") delete merged.KmsDataKeyReusePeriodSeconds;
}

/** The value a queue reports for a settable attribute: what was set, else the default. */
export function attributeValue(
  set: Record<string, string>,
  name: string,
  fifo: boolean,
): string | undefined {
  const explicit = set[name];
  if (explicit !== undefined && explicit !== "") return explicit;
  return settableAttribute(name)?.defaultValue?.(fifo);
}

function invalidValue(name: string, reason?: string): SqsError {
  return new SqsError(
    "InvalidAttributeValue",
    reason
      ? `Invalid value for the parameter ${name}. Reason: ${reason}`
      : `Invalid value for the parameter ${name}.`,
  );
}
