import type { MetricSeries } from "../engine/queue-metrics.ts";
import type { QueueSummary } from "../engine/queue-summary.ts";
import type { QueueListEntry, QueueMetricsBody } from "../wire-types.ts";

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
