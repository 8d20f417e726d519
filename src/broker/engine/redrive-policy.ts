import { SqsError, errors } from "./errors.ts";
import { parseClientJson } from "./json-nesting.ts";

/**
 * RedrivePolicy: where a source queue sends messages received too often.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue.html
 */
export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

/** RedriveAllowPolicy: which source queues may use a queue as their dead-letter queue. */
export interface RedriveAllowPolicy {
  redrivePermission: "allowAll" | "denyAll" | "byQueue";
  sourceQueueArns?: string[];
}

/**
 * Where a policy's text comes from: a request, checked as SQS checks it, or
 * the store, read as the version that accepted it did (maxReceiveCount
 * through Number(), which took "1e1" as 10), so an older data dir loads.
 */
export type PolicyOrigin = "request" | "stored";

export function parseRedrivePolicy(text: string, origin: PolicyOrigin = "request"): RedrivePolicy {
  const parsed = parseObject(text, "RedrivePolicy");
  const keys = Object.keys(parsed);
  const unknown = keys.find((k) => k !== "deadLetterTargetArn" && k !== "maxReceiveCount");
  if (unknown) {
    throw invalidRedrive(
      text,
      `Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount].`,
    );
  }
  const arn = parsed.deadLetterTargetArn;
  if (arn === undefined) {
    throw invalidRedrive(
      text,
      "Redrive policy does not contain mandatory attribute: deadLetterTargetArn.",
    );
  }
  if (typeof arn !== "string" || !/^arn:[^:]+:sqs:[^:]*:[^:]*:[^:]+$/.test(arn)) {
    throw invalidRedrive(text, "Invalid value for deadLetterTargetArn.");
  }
  if (parsed.maxReceiveCount === undefined) {
    throw invalidRedrive(
      text,
      "Redrive policy does not contain mandatory attribute: maxReceiveCount.",
    );
  }
  const count =
    origin === "stored" ? Number(parsed.maxReceiveCount) : receiveCountOf(parsed.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw invalidRedrive(
      text,
      "Invalid value for maxReceiveCount: " +
        String(parsed.maxReceiveCount) +
        ", valid values are from 1 to 1000 both inclusive.",
    );
  }
  return { deadLetterTargetArn: arn, maxReceiveCount: count };
}

/** The form SQS reports a redrive policy in: maxReceiveCount as a number. */
export function formatRedrivePolicy(policy: RedrivePolicy): string {
  return JSON.stringify({
    deadLetterTargetArn: policy.deadLetterTargetArn,
    maxReceiveCount: policy.maxReceiveCount,
  });
}

export function parseRedriveAllowPolicy(text: string): RedriveAllowPolicy {
  const parsed = parseObject(text, "RedriveAllowPolicy");
  const permission = parsed.redrivePermission;
  if (permission !== "allowAll" && permission !== "denyAll" && permission !== "byQueue") {
    throw invalidAllow(
      text,
      "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.",
    );
  }
  const arns = parsed.sourceQueueArns;
  if (permission === "byQueue") {
    if (
      !Array.isArray(arns) ||
      arns.length === 0 ||
      arns.length > 10 ||
      !arns.every((a) => typeof a === "string")
    ) {
      throw invalidAllow(
        text,
        "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.",
      );
    }
    return { redrivePermission: permission, sourceQueueArns: arns as string[] };
  }
  if (arns !== undefined) {
    throw invalidAllow(
      text,
      "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.",
    );
  }
  return { redrivePermission: permission };
}

export function allowsSource(policy: RedriveAllowPolicy | undefined, sourceArn: string): boolean {
  if (!policy || policy.redrivePermission === "allowAll") return true;
  if (policy.redrivePermission === "denyAll") return false;
  return policy.sourceQueueArns?.includes(sourceArn) ?? false;
}

function parseObject(text: string, name: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseClientJson(text);
  } catch {
    throw new SqsError(
      "InvalidAttributeValue",
      `Invalid value for the parameter ${name}. Reason: failed to parse JSON.`,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new SqsError("InvalidAttributeValue", `Invalid value for the parameter ${name}.`);
  }
  return parsed as Record<string, unknown>;
}

function invalidRedrive(text: string, reason: string): SqsError {
  return errors.invalidParameter("RedrivePolicy", text, reason);
}

function invalidAllow(text: string, reason: string): SqsError {
  return errors.invalidParameter("RedriveAllowPolicy", text, reason);
}

/**
 * A JSON number, or a string of digits as SQS's own parser reads one
 * (Java's Integer.parseInt): "1e1", "0x10" or " 5 " are not counts, though
 * JavaScript's Number() would make them 10, 16 and 5.
 */
function receiveCountOf(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^[+-]?\d{1,10}$/.test(value)) return Number(value);
  return NaN;
}
