import { send } from "./transport.ts";

/** One queue as `GET /_mailroom/queues` lists it: what the Queues page shows, in one request. */
export interface QueueSummary {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  /** Seconds since the epoch. */
  createdTimestamp: number;
  visible: number;
  inFlight: number;
  delayed: number;
  contentBasedDeduplication: boolean;
  encryption: string;
  deadLetterTargetName?: string;
}

export const METRIC_NAMES = [
  "NumberOfMessagesSent",
  "NumberOfMessagesReceived",
  "NumberOfMessagesDeleted",
  "NumberOfEmptyReceives",
  "SentMessageSize",
  "ApproximateNumberOfMessagesVisible",
  "ApproximateNumberOfMessagesNotVisible",
  "ApproximateNumberOfMessagesDelayed",
  "ApproximateAgeOfOldestMessage",
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

/** A queue's metrics per minute, oldest first, as `GET /_mailroom/metrics/<queue>` gives them. */
export interface QueueMetrics {
  queue: string;
  periodSeconds: number;
  /** The first minute's start, in ms since the epoch. */
  start: number;
  metrics: Record<MetricName, (number | null)[]>;
}

export async function listQueueSummaries(): Promise<QueueSummary[]> {
  const text = await send("/_mailroom/queues", { method: "GET" });
  return (JSON.parse(text) as { queues: QueueSummary[] }).queues;
}

export async function queueMetrics(name: string, minutes: number): Promise<QueueMetrics> {
  const text = await send(`/_mailroom/metrics/${encodeURIComponent(name)}?minutes=${minutes}`, {
    method: "GET",
  });
  return JSON.parse(text) as QueueMetrics;
}
