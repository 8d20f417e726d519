import type { Attributes } from "./api/queues.ts";
import { parseJson } from "./json.ts";
import { wholeNumber } from "./whole-number.ts";

/**
 * What the create and edit forms hold, as the AWS console's form has it;
 * numbers stay text while they are typed. Defaults are SQS's.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
export interface QueueSettings {
  visibilityTimeout: string;
  messageRetentionPeriod: string;
  delaySeconds: string;
  maximumMessageSize: string;
  receiveMessageWaitTimeSeconds: string;
  contentBasedDeduplication: boolean;
  deduplicationScope: "queue" | "messageGroup";
  fifoThroughputLimit: "perQueue" | "perMessageGroupId";
  encryption: "none" | "sse-sqs" | "sse-kms";
  kmsMasterKeyId: string;
  kmsDataKeyReusePeriodSeconds: string;
  deadLetterEnabled: boolean;
  deadLetterTargetArn: string;
  maxReceiveCount: string;
  redriveAllowEnabled: boolean;
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  redriveSourceArns: string;
  policy: string;
}

export const DEFAULT_SETTINGS: QueueSettings = {
  visibilityTimeout: "30",
  messageRetentionPeriod: "345600",
  delaySeconds: "0",
  maximumMessageSize: "1048576",
  receiveMessageWaitTimeSeconds: "0",
  contentBasedDeduplication: false,
  deduplicationScope: "queue",
  fifoThroughputLimit: "perQueue",
  encryption: "sse-sqs",
  kmsMasterKeyId: "alias/aws/sqs",
  kmsDataKeyReusePeriodSeconds: "300",
  deadLetterEnabled: false,
  deadLetterTargetArn: "",
  maxReceiveCount: "10",
  redriveAllowEnabled: false,
  redrivePermission: "allowAll",
  redriveSourceArns: "",
  policy: "",
};

type NumberSetting =
  | "visibilityTimeout"
  | "messageRetentionPeriod"
  | "delaySeconds"
  | "maximumMessageSize"
  | "receiveMessageWaitTimeSeconds"
  | "kmsDataKeyReusePeriodSeconds"
  | "maxReceiveCount";

/**
 * SQS's bounds of each number setting, which the form states and checks.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
export const NUMBER_LIMITS: Record<NumberSetting, { label: string; min: number; max: number }> = {
  visibilityTimeout: { label: "Visibility timeout", min: 0, max: 43_200 },
  messageRetentionPeriod: { label: "Message retention period", min: 60, max: 1_209_600 },
  delaySeconds: { label: "Delivery delay", min: 0, max: 900 },
  maximumMessageSize: { label: "Maximum message size", min: 1_024, max: 1_048_576 },
  receiveMessageWaitTimeSeconds: { label: "Receive message wait time", min: 0, max: 20 },
  kmsDataKeyReusePeriodSeconds: { label: "Data key reuse period", min: 60, max: 86_400 },
  maxReceiveCount: { label: "Maximum receives (maxReceiveCount)", min: 1, max: 1_000 },
};

/** What is wrong with each setting the form would send, in words to show beside it. */
export type SettingsProblems = Partial<Record<keyof QueueSettings, string>>;

/**
 * The settings the broker would refuse, or that say nothing (a dead-letter
 * queue ticked but not chosen), checked before anything is sent so each
 * gets a plain message beside its field rather than the API's JSON.
 */
export function settingsProblems(settings: QueueSettings): SettingsProblems {
  const problems: SettingsProblems = {};
  const numbers: NumberSetting[] = [
    "visibilityTimeout",
    "messageRetentionPeriod",
    "delaySeconds",
    "maximumMessageSize",
    "receiveMessageWaitTimeSeconds",
  ];
  if (settings.encryption === "sse-kms") numbers.push("kmsDataKeyReusePeriodSeconds");
  if (settings.deadLetterEnabled) numbers.push("maxReceiveCount");
  for (const key of numbers) {
    const { label, min, max } = NUMBER_LIMITS[key];
    try {
      wholeNumber(settings[key], label, min, max);
    } catch (invalid) {
      problems[key] = (invalid as Error).message;
    }
  }
  if (settings.deadLetterEnabled && settings.deadLetterTargetArn === "") {
    problems.deadLetterTargetArn = "Choose the dead-letter queue, or untick the box above.";
  }
  if (settings.redriveAllowEnabled && settings.redrivePermission === "byQueue") {
    const count = sourceArns(settings).length;
    if (count === 0) {
      problems.redriveSourceArns =
        "Give the ARN of at least one source queue, or choose another permission.";
    } else if (count > 10) {
      problems.redriveSourceArns = `At most 10 source queues, not ${count}.`;
    }
  }
  return problems;
}

/** The form's values for a queue's attributes as GetQueueAttributes reports them. */
export function settingsOf(attributes: Attributes): QueueSettings {
  const redrive = parseJson<{ deadLetterTargetArn?: string; maxReceiveCount?: number | string }>(
    attributes.RedrivePolicy,
  );
  const allow = parseJson<{ redrivePermission?: string; sourceQueueArns?: string[] }>(
    attributes.RedriveAllowPolicy,
  );
  const defaults = DEFAULT_SETTINGS;
  return {
    visibilityTimeout: attributes.VisibilityTimeout ?? defaults.visibilityTimeout,
    messageRetentionPeriod: attributes.MessageRetentionPeriod ?? defaults.messageRetentionPeriod,
    delaySeconds: attributes.DelaySeconds ?? defaults.delaySeconds,
    maximumMessageSize: attributes.MaximumMessageSize ?? defaults.maximumMessageSize,
    receiveMessageWaitTimeSeconds:
      attributes.ReceiveMessageWaitTimeSeconds ?? defaults.receiveMessageWaitTimeSeconds,
    contentBasedDeduplication: attributes.ContentBasedDeduplication === "true",
    deduplicationScope: attributes.DeduplicationScope === "messageGroup" ? "messageGroup" : "queue",
    fifoThroughputLimit:
      attributes.FifoThroughputLimit === "perMessageGroupId" ? "perMessageGroupId" : "perQueue",
    encryption: attributes.KmsMasterKeyId
      ? "sse-kms"
      : attributes.SqsManagedSseEnabled === "true"
        ? "sse-sqs"
        : "none",
    kmsMasterKeyId: attributes.KmsMasterKeyId || defaults.kmsMasterKeyId,
    kmsDataKeyReusePeriodSeconds:
      attributes.KmsDataKeyReusePeriodSeconds ?? defaults.kmsDataKeyReusePeriodSeconds,
    deadLetterEnabled: redrive?.deadLetterTargetArn !== undefined,
    deadLetterTargetArn: redrive?.deadLetterTargetArn ?? "",
    maxReceiveCount: String(redrive?.maxReceiveCount ?? defaults.maxReceiveCount),
    redriveAllowEnabled: allow !== undefined,
    redrivePermission:
      allow?.redrivePermission === "denyAll" || allow?.redrivePermission === "byQueue"
        ? allow.redrivePermission
        : "allowAll",
    redriveSourceArns: (allow?.sourceQueueArns ?? []).join("\n"),
    policy: attributes.Policy ?? "",
  };
}

/**
 * The attributes for CreateQueue (every setting) or, given the queue's
 * current settings, for SetQueueAttributes (only what changed). The broker
 * checks the values and answers AWS's errors, which the form shows.
 */
export function attributesOf(
  settings: QueueSettings,
  fifo: boolean,
  before?: QueueSettings,
): Attributes {
  const all: Attributes = {
    VisibilityTimeout: settings.visibilityTimeout.trim(),
    MessageRetentionPeriod: settings.messageRetentionPeriod.trim(),
    DelaySeconds: settings.delaySeconds.trim(),
    MaximumMessageSize: settings.maximumMessageSize.trim(),
    ReceiveMessageWaitTimeSeconds: settings.receiveMessageWaitTimeSeconds.trim(),
    ...encryptionAttributes(settings),
    RedrivePolicy: settings.deadLetterEnabled
      ? JSON.stringify({
          deadLetterTargetArn: settings.deadLetterTargetArn,
          maxReceiveCount: asTyped(settings.maxReceiveCount),
        })
      : "",
    RedriveAllowPolicy: settings.redriveAllowEnabled ? redriveAllowPolicy(settings) : "",
    Policy: settings.policy.trim(),
  };
  if (fifo) {
    all.ContentBasedDeduplication = String(settings.contentBasedDeduplication);
    all.DeduplicationScope = settings.deduplicationScope;
    all.FifoThroughputLimit = settings.fifoThroughputLimit;
  }
  if (before === undefined) {
    // A new queue: empty policies and no KMS key are simply not given.
    for (const name of ["RedrivePolicy", "RedriveAllowPolicy", "Policy", "KmsMasterKeyId"]) {
      if (all[name] === "") delete all[name];
    }
    return all;
  }
  const previous = attributesOf(before, fifo);
  const changed: Attributes = {};
  for (const [name, value] of Object.entries(all)) {
    if ((previous[name] ?? "") !== value) changed[name] = value;
  }
  return changed;
}

function encryptionAttributes(settings: QueueSettings): Attributes {
  switch (settings.encryption) {
    case "none":
      return { SqsManagedSseEnabled: "false", KmsMasterKeyId: "" };
    case "sse-sqs":
      return { SqsManagedSseEnabled: "true", KmsMasterKeyId: "" };
    case "sse-kms":
      return {
        SqsManagedSseEnabled: "false",
        // Left blank, the AWS managed key, as in the AWS console (blank would mean no encryption).
        KmsMasterKeyId: settings.kmsMasterKeyId.trim() || DEFAULT_SETTINGS.kmsMasterKeyId,
        KmsDataKeyReusePeriodSeconds: settings.kmsDataKeyReusePeriodSeconds.trim(),
      };
  }
}

/** A whole number as a number; anything else as typed, for the broker to refuse with AWS's error. */
function asTyped(text: string): number | string {
  const trimmed = text.trim();
  return /^\d{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function redriveAllowPolicy(settings: QueueSettings): string {
  if (settings.redrivePermission !== "byQueue") {
    return JSON.stringify({ redrivePermission: settings.redrivePermission });
  }
  return JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: sourceArns(settings) });
}

function sourceArns(settings: QueueSettings): string[] {
  return settings.redriveSourceArns.split(/[\s,]+/).filter((arn) => arn !== "");
}
