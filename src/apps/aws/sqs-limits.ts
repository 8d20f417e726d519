/**
 * SQS's limits the apps keep to, in one place. The broker's engine has its
 * own copy (src/broker/engine/message-rules.ts): the apps talk to any SQS
 * over HTTP and import nothing of the broker.
 */

/**
 * The longest visibility timeout, 12 h, counted from the receive that gave
 * the receipt handle: ChangeMessageVisibility refuses one that would end
 * later ("Total VisibilityTimeout for the message is beyond the limit
 * [43200 seconds]", https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html).
 */
export const MAX_VISIBILITY_SECONDS = 12 * 60 * 60;

/** The longest long poll of one ReceiveMessage (`WaitTimeSeconds`). */
export const MAX_WAIT_SECONDS = 20;

/**
 * Room left under the 12 h for time this process does not measure: the
 * receive's own trip, and the ChangeMessageVisibility call's on its way.
 */
export const VISIBILITY_SLACK_SECONDS = 60;

/**
 * The longest visibility SQS still grants a message whose receive was asked
 * for (or handled) at `since`, a `performance.now()` time: 12 h from then,
 * less a minute. Measured on this process's monotonic clock, so the two
 * machines' clocks need not agree.
 */
export function visibilityLeftSeconds(since: number): number {
  const elapsedSeconds = Math.ceil((performance.now() - since) / 1000);
  return Math.max(0, MAX_VISIBILITY_SECONDS - elapsedSeconds - VISIBILITY_SLACK_SECONDS);
}
