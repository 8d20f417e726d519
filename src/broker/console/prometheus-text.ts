import type { QueueMetricsNow } from "../engine/sqs-engine.ts";

/** The content type of Prometheus's text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

interface Family {
  name: string;
  type: "counter" | "gauge";
  help: string;
  value: (queue: QueueMetricsNow) => number;
}

/**
 * The metric families, CloudWatch's SQS metrics under Prometheus's naming
 * rules (snake case, `_total` on counters, the unit last). Counters run from
 * the broker's start; gauges are read at the scrape.
 */
const COUNTERS: readonly Family[] = [
  {
    name: "mailroom_sqs_number_of_messages_sent_total",
    type: "counter",
    help: "Messages added to the queue (CloudWatch NumberOfMessagesSent), since the broker started.",
    value: (q) => q.sentTotal,
  },
  {
    name: "mailroom_sqs_number_of_messages_received_total",
    type: "counter",
    help: "Messages returned by ReceiveMessage (CloudWatch NumberOfMessagesReceived), since the broker started.",
    value: (q) => q.receivedTotal,
  },
  {
    name: "mailroom_sqs_number_of_messages_deleted_total",
    type: "counter",
    help: "Successful deletes with a valid receipt handle, repeats included (CloudWatch NumberOfMessagesDeleted), since the broker started.",
    value: (q) => q.deletedTotal,
  },
  {
    name: "mailroom_sqs_number_of_empty_receives_total",
    type: "counter",
    help: "ReceiveMessage calls that returned no message (CloudWatch NumberOfEmptyReceives), since the broker started.",
    value: (q) => q.emptyReceivesTotal,
  },
];

const SIZE = "mailroom_sqs_sent_message_size_bytes";

const GAUGES: readonly Family[] = [
  {
    name: "mailroom_sqs_approximate_number_of_messages_visible",
    type: "gauge",
    help: "Messages available for retrieval (CloudWatch ApproximateNumberOfMessagesVisible).",
    value: (q) => q.visible,
  },
  {
    name: "mailroom_sqs_approximate_number_of_messages_not_visible",
    type: "gauge",
    help: "Messages in flight: received, not yet deleted or returned (CloudWatch ApproximateNumberOfMessagesNotVisible).",
    value: (q) => q.notVisible,
  },
  {
    name: "mailroom_sqs_approximate_number_of_messages_delayed",
    type: "gauge",
    help: "Messages delayed, not yet available (CloudWatch ApproximateNumberOfMessagesDelayed).",
    value: (q) => q.delayed,
  },
  {
    name: "mailroom_sqs_approximate_age_of_oldest_message_seconds",
    type: "gauge",
    help: "Age of the oldest message in the queue, 0 when empty (CloudWatch ApproximateAgeOfOldestMessage).",
    value: (q) => q.oldestAgeSeconds,
  },
];

/** Every queue's metrics in Prometheus text format 0.0.4, one `queue` label a series. */
export function prometheusText(queues: readonly QueueMetricsNow[]): string {
  // One string grown by concatenation: for 10,000 queues about 10 times faster than joining lines.
  const labels = queues.map((q) => `{queue="${escapeLabel(q.name)}"} `);
  let out = "";
  const family = (f: Family): void => {
    out += `# HELP ${f.name} ${f.help}\n# TYPE ${f.name} ${f.type}\n`;
    for (let i = 0; i < queues.length; i++) out += f.name + labels[i] + f.value(queues[i]!) + "\n";
  };
  for (const f of COUNTERS) family(f);
  out +=
    `# HELP ${SIZE} Size of the messages added to the queue (CloudWatch SentMessageSize), since the broker started.\n` +
    `# TYPE ${SIZE} summary\n`;
  for (let i = 0; i < queues.length; i++) {
    const q = queues[i]!;
    out += `${SIZE}_sum${labels[i]}${q.sentBytesTotal}\n${SIZE}_count${labels[i]}${q.sentTotal}\n`;
  }
  for (const f of GAUGES) family(f);
  return out;
}

/** Label values escape backslash, double quote and line feed. */
function escapeLabel(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}
