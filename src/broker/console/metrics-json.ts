import type { MetricSeries } from "../engine/queue-metrics.ts";
import type { QueueSummary } from "../engine/queue-summary.ts";

/** One row of `GET /_mailroom/queues`. */
export interface QueueListEntry {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  /** Seconds since the epoch, as SQS's CreatedTimestamp. */
  createdTimestamp: number;
  visible: number;
  inFlight: number;
  delayed: number;
  contentBasedDeduplication: boolean;
  encryption: QueueSummary["encryption"];
  deadLetterTargetName?: string;
}

/** `GET /_mailroom/metrics/<queue>`: one value a minute per metric, oldest first. */
export interface QueueMetricsBody {
  queue: string;
  periodSeconds: 60;
  /** Start of the first minute, ms since the epoch. */
  start: number;
  metrics: {
    NumberOfMessagesSent: number[];
    NumberOfMessagesReceived: number[];
    NumberOfMessagesDeleted: number[];
    NumberOfEmptyReceives: number[];
    /** Average bytes a message in the minute; null without sends. */
    SentMessageSize: (number | null)[];
    ApproximateNumberOfMessagesVisible: (number | null)[];
    ApproximateNumberOfMessagesNotVisible: (number | null)[];
    ApproximateNumberOfMessagesDelayed: (number | null)[];
    ApproximateAgeOfOldestMessage: (number | null)[];
  };
}

export function queueListEntry(summary: QueueSummary, url: string): QueueListEntry {
  const entry: QueueListEntry = {
    name: summary.name,
    url,
    arn: summary.arn,
    fifo: summary.fifo,
    createdTimestamp: Math.floor(summary.createdAt / 1000),
    visible: summary.visible,
    inFlight: summary.inFlight,
    delayed: summary.delayed,
    contentBasedDeduplication: summary.contentBasedDeduplication,
    encryption: summary.encryption,
  };
  if (summary.deadLetterTargetName !== undefined) {
    entry.deadLetterTargetName = summary.deadLetterTargetName;
  }
  return entry;
}

export function queueMetricsBody(queue: string, series: MetricSeries): QueueMetricsBody {
  return {
    queue,
    periodSeconds: 60,
    start: series.start,
    metrics: {
      NumberOfMessagesSent: series.sent,
      NumberOfMessagesReceived: series.received,
      NumberOfMessagesDeleted: series.deleted,
      NumberOfEmptyReceives: series.emptyReceives,
      SentMessageSize: series.sent.map((count, i) =>
        count === 0 ? null : (series.sentBytes[i] ?? 0) / count,
      ),
      ApproximateNumberOfMessagesVisible: series.visible,
      ApproximateNumberOfMessagesNotVisible: series.notVisible,
      ApproximateNumberOfMessagesDelayed: series.delayed,
      ApproximateAgeOfOldestMessage: series.oldestAgeSeconds,
    },
  };
}
