import { attributeValue } from "./queue-attributes.ts";
import { parseRedrivePolicy, parseRedriveAllowPolicy } from "./redrive-policy.ts";
import type { PolicyOrigin, RedriveAllowPolicy, RedrivePolicy } from "./redrive-policy.ts";

/** A queue's attributes parsed once, so the hot paths read numbers instead of strings. */
export interface QueueSettings {
  visibilityTimeoutMs: number;
  delayMs: number;
  retentionMs: number;
  maximumMessageSize: number;
  receiveWaitSeconds: number;
  contentBasedDeduplication: boolean;
  /** DeduplicationScope=messageGroup: ids are unique per group rather than per queue. */
  deduplicationPerGroup: boolean;
  redrivePolicy: RedrivePolicy | undefined;
  redriveAllowPolicy: RedriveAllowPolicy | undefined;
}

export function settingsFrom(
  attributes: Record<string, string>,
  fifo: boolean,
  origin: PolicyOrigin = "request",
): QueueSettings {
  const number = (name: string) => Number(attributeValue(attributes, name, fifo));
  const redrive = attributes.RedrivePolicy;
  const allow = attributes.RedriveAllowPolicy;
  return {
    visibilityTimeoutMs: number("VisibilityTimeout") * 1000,
    delayMs: number("DelaySeconds") * 1000,
    retentionMs: number("MessageRetentionPeriod") * 1000,
    maximumMessageSize: number("MaximumMessageSize"),
    receiveWaitSeconds: number("ReceiveMessageWaitTimeSeconds"),
    contentBasedDeduplication: attributes.ContentBasedDeduplication === "true",
    deduplicationPerGroup: attributes.DeduplicationScope === "messageGroup",
    redrivePolicy: redrive ? parseRedrivePolicy(redrive, origin) : undefined,
    redriveAllowPolicy: allow ? parseRedriveAllowPolicy(allow) : undefined,
  };
}
