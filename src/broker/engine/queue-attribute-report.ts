import { SqsError } from "./errors.ts";
import {
  attributeReportOrder,
  attributeValue,
  isKnownAttributeName,
  settableAttribute,
} from "./queue-attributes.ts";
import type { Queue } from "./queue.ts";
import { formatRedrivePolicy } from "./redrive-policy.ts";

/**
 * GetQueueAttributes: the named attributes (or all with "All") as strings.
 * Attributes that do not apply to the queue's type, or are unset policies,
 * are left out rather than reported empty.
 */
export function reportQueueAttributes(
  queue: Queue,
  names: string[],
  now: number,
): Record<string, string> {
  for (const name of names) {
    if (name !== "All" && !isKnownAttributeName(name)) {
      throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
    }
  }
  const wanted = names.includes("All")
    ? attributeReportOrder
    : attributeReportOrder.filter((n) => names.includes(n));
  if (wanted.length === 0) return {};
  queue.refresh(now);
  const out: Record<string, string> = {};
  for (const name of wanted) {
    const value = valueOf(queue, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function valueOf(queue: Queue, name: string): string | undefined {
  switch (name) {
    case "QueueArn":
      return queue.arn;
    case "ApproximateNumberOfMessages":
      return String(queue.visibleCount);
    case "ApproximateNumberOfMessagesNotVisible":
      return String(queue.inFlightCount);
    case "ApproximateNumberOfMessagesDelayed":
      return String(queue.delayedCount);
    case "CreatedTimestamp":
      return String(Math.floor(queue.record.createdAt / 1000));
    case "LastModifiedTimestamp":
      return String(Math.floor(queue.record.lastModifiedAt / 1000));
    case "RedrivePolicy":
      return queue.settings.redrivePolicy && formatRedrivePolicy(queue.settings.redrivePolicy);
  }
  if (settableAttribute(name)?.fifoOnly && !queue.fifo) return undefined;
  return attributeValue(queue.record.attributes, name, queue.fifo);
}
