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

export type RetryDecision =
  { readonly kind: "retry-later"; readonly afterSeconds: number } | { readonly kind: "give-up" };

/**
 * After the maker could not be reached on receive `receiveCount` (1 for the
 * first): wait base x 2^(receiveCount - 1) seconds, capped, or give up once
 * the count reaches `maxReceives`. `leftSeconds` is the longest visibility
 * SQS still grants the request (`visibilityLeftSeconds`): its 12 h count from
 * the receive, and the call to the maker took some of that (up to
 * --request-timeout, an hour at most).
 */
export function decideRetry(
  policy: RetryPolicy,
  receiveCount: number,
  leftSeconds: number,
): RetryDecision {
  if (receiveCount >= policy.maxReceives) return { kind: "give-up" };
  const afterSeconds = Math.min(retryDelaySeconds(policy, receiveCount), leftSeconds);
  return { kind: "retry-later", afterSeconds: Math.max(0, Math.round(afterSeconds)) };
}
