import type { RequestOrigin } from "../../widgets/request-position.ts";

/**
 * One widget request taken from a source, not yet acknowledged. Exactly one of
 * `complete`, `retryLater` or `setAside` is called for it. Its origin
 * (revision, time sent) places it in its widget's history.
 */
export interface ReceivedRequest extends RequestOrigin {
  /** What identifies it in logs: a message id, a bucket key, a file name. */
  readonly id: string;
  readonly body: string;
  /** How many times it has been handed out, this time included (1 on first delivery). */
  readonly receiveCount: number;
  /**
   * Processed: remove it for good. A source may resolve before the removal is
   * confirmed (SQS batches its deletes); if it then fails, the request comes
   * back and is recognised as a duplicate.
   */
  complete(): Promise<void>;
  /** Not processed this time (the store failed): hand it out again after `delaySeconds`. */
  retryLater(delaySeconds: number): Promise<void>;
  /** Never processable: move it where people can inspect it, with the reason. */
  setAside(reason: string): Promise<void>;
}

/**
 * Where requests come from: an SQS queue, a request bucket or a local folder.
 * `receive` may be called by several workers at once.
 */
export interface RequestSource {
  /** For people: `queue cs5260-requests`, `bucket s3://requests`, a folder path. */
  readonly description: string;
  /** Where requests set aside go, for people (a dead-letter queue, a prefix, a folder). */
  readonly setAsideLocation: string;
  /**
   * The most receives the source allows before it moves a request aside by
   * itself (an SQS redrive policy's maxReceiveCount), if any.
   */
  readonly maxReceiveCount: number | undefined;
  /** Waits for the next request; `undefined` once `signal` is aborted. */
  receive(signal: AbortSignal): Promise<ReceivedRequest | undefined>;
  /** Acknowledges what is pending and releases what was fetched but never handed out. */
  close(): Promise<void>;
}
