/**
 * How a message that could not be handled now comes back: through its
 * visibility timeout, later each time, until it has been received
 * `maxReceives` times. The widget consumer then sets the request aside with
 * its last error, a worker fails the job, and the maker consumer leaves the
 * request to the queue's redrive.
 */
export interface RetryPolicy {
  /** Delay before the second delivery, seconds; doubles on each later one. */
  readonly baseDelaySeconds: number;
  readonly maxDelaySeconds: number;
  readonly maxReceives: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelaySeconds: 1,
  maxDelaySeconds: 60,
  maxReceives: 8,
};

/** Seconds to wait before handing out a request again after its `receiveCount`-th receive. */
export function retryDelaySeconds(policy: RetryPolicy, receiveCount: number): number {
  const exponent = Math.max(0, receiveCount - 1);
  return Math.min(policy.baseDelaySeconds * 2 ** Math.min(exponent, 20), policy.maxDelaySeconds);
}

/**
 * The receive at which the consumer gives up: its own limit, or the queue's
 * redrive `maxReceiveCount` if lower, so that the consumer sets the request
 * aside with its reason on that last receive, before the redrive would move
 * it without one.
 */
export function giveUpAfter(policy: RetryPolicy, sourceMaxReceives: number | undefined): number {
  if (sourceMaxReceives === undefined || !Number.isFinite(sourceMaxReceives)) {
    return policy.maxReceives;
  }
  return Math.max(1, Math.min(policy.maxReceives, sourceMaxReceives));
}
