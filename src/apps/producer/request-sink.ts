import type { GeneratedRequest } from "./request-generator.ts";

/**
 * Where produced requests go: an SQS queue, an S3 request bucket or a local
 * request folder. A producer may write every request to several sinks.
 */
export interface RequestSink {
  /** For people: `queue <url>`, `s3://<bucket>`, `folder <path>`. */
  readonly location: string;
  /**
   * The newest request key already there, if any is ahead of the clock: a
   * run faster than a request a millisecond leaves keys in the future, and
   * the next run's keys must start after them, not overwrite them.
   */
  readonly latestKey?: number;
  /**
   * Whether it drops a request whose id it took in the last 5 minutes: a
   * FIFO queue, whose deduplication id is the request id. The same seed
   * again within 5 minutes then delivers nothing to it.
   */
  readonly deduplicates?: boolean;
  /**
   * Stores `requests` (in production order; at most 10 at a time) and
   * resolves once every one of them is stored; rejects with an `AppError`
   * otherwise.
   */
  send(requests: readonly GeneratedRequest[]): Promise<void>;
}
