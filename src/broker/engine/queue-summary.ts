import { currentGauges } from "./metrics-sampler.ts";
import { queueNameFromArn } from "./queue-arn.ts";
import { attributeValue } from "./queue-attributes.ts";
import type { Queue } from "./queue.ts";
import type { QueueEncryption } from "../wire-types.ts";

/** One row of a queue listing: the columns of the AWS console's Queues page, and the counts. */
export interface QueueSummary {
  name: string;
  arn: string;
  fifo: boolean;
  /** ms since the epoch. */
  createdAt: number;
  visible: number;
  inFlight: number;
  delayed: number;
  contentBasedDeduplication: boolean;
  encryption: QueueEncryption;
  /** The dead-letter queue named by its redrive policy, if it has one. */
  deadLetterTargetName: string | undefined;
}

/** The queue's summary as of `now` (messages whose delay or timeout passed count as visible). */
export function summarizeQueue(queue: Queue, now: number): QueueSummary {
  const gauges = currentGauges(queue, now);
  const target = queue.settings.redrivePolicy?.deadLetterTargetArn;
  return {
    name: queue.name,
    arn: queue.arn,
    fifo: queue.fifo,
    createdAt: queue.record.createdAt,
    visible: gauges.visible,
    inFlight: gauges.notVisible,
    delayed: gauges.delayed,
    contentBasedDeduplication: queue.settings.contentBasedDeduplication,
    encryption: encryptionOf(queue),
    deadLetterTargetName: target === undefined ? undefined : queueNameFromArn(target),
  };
}

function encryptionOf(queue: Queue): QueueEncryption {
  const attributes = queue.record.attributes;
  if (attributes.KmsMasterKeyId) return "SSE-KMS";
  return attributeValue(attributes, "SqsManagedSseEnabled", queue.fifo) === "true"
    ? "SSE-SQS"
    : "none";
}
