import { MAX_VISIBILITY_SECONDS, VISIBILITY_SLACK_SECONDS } from "../aws/sqs-limits.ts";
import { retryDelaySeconds } from "../retry-policy.ts";
import type { RetryPolicy } from "../retry-policy.ts";

/**
 * The maker consumer's retries: the waits are visibility timeouts on the
 * request itself, so a waiting request costs the consumer nothing and
 * survives it being restarted. `maxReceives` (default 3) is where it stops
 * extending a request and leaves it to the queue's redrive policy: set it to
 * the queue's `maxReceiveCount`, so the next receive moves the request to
 * the dead-letter queue.
 */
export const MAKER_RETRY_POLICY: RetryPolicy = {
  baseDelaySeconds: 2,
  maxDelaySeconds: 60,
  maxReceives: 3,
};

/**
 * SQS refuses a visibility that ends more than 12 hours after the receive;
 * the call to the maker took some of that (up to --request-timeout, 10 s by
 * default), so a retry waits at most 12 hours less a minute.
 */
const MAX_RETRY_SECONDS = MAX_VISIBILITY_SECONDS - VISIBILITY_SLACK_SECONDS;

export type RetryDecision =
  { readonly kind: "retry-later"; readonly afterSeconds: number } | { readonly kind: "give-up" };

/**
 * After the maker could not be reached on receive `receiveCount` (1 for the
 * first): wait base x 2^(receiveCount - 1) seconds, capped, or give up once
 * the count reaches `maxReceives`.
 */
export function decideRetry(policy: RetryPolicy, receiveCount: number): RetryDecision {
  if (receiveCount >= policy.maxReceives) return { kind: "give-up" };
  const afterSeconds = Math.min(retryDelaySeconds(policy, receiveCount), MAX_RETRY_SECONDS);
  return { kind: "retry-later", afterSeconds: Math.max(0, Math.round(afterSeconds)) };
}
