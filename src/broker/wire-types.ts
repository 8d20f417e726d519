/*
 * The JSON shapes the broker's HTTP API answers that the console's page
 * reads, declared once for the server that writes them and the browser that
 * reads them. Types only, and no imports: the page imports this file (with
 * `import type`) and nothing else outside its folder, so that neither its
 * bundle nor its DOM-typed type check reaches Node code
 * (scripts/check-layers.ts enforces both).
 */

/** Server-side encryption as the AWS console's Queues page names it. */
export type QueueEncryption = "SSE-SQS" | "SSE-KMS" | "none";

/** One queue of `GET /_mailroom/queues`: what the console's Queues page shows of it. */
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
  encryption: QueueEncryption;
  deadLetterTargetName?: string;
}

/** `GET /_mailroom/queues`: every queue, by name. */
export interface QueueListBody {
  queues: QueueListEntry[];
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

/** A metric of `GET /_mailroom/metrics/<queue>`, in CloudWatch's name for it. */
export type MetricName = keyof QueueMetricsBody["metrics"];

export type MoveTaskStatus = "RUNNING" | "COMPLETED" | "CANCELLING" | "CANCELLED" | "FAILED";

/**
 * One entry of ListMessageMoveTasks' `Results`, in the API's member names.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasksResultEntry.html
 */
export interface MoveTaskReport {
  TaskHandle?: string;
  Status: MoveTaskStatus;
  SourceArn: string;
  DestinationArn?: string;
  MaxNumberOfMessagesPerSecond?: number;
  ApproximateNumberOfMessagesMoved: number;
  ApproximateNumberOfMessagesToMove?: number;
  FailureReason?: string;
  StartedTimestamp: number;
}
