import type { EngineContext } from "./engine-context.ts";
import type { MessageState } from "./message-state.ts";
import type { Queue } from "./queue.ts";

/**
 * The dead-letter queue a message received too often must move to, if the
 * queue has a redrive policy and its target still exists.
 */
export function deadLetterTargetFor(
  ctx: EngineContext,
  queue: Queue,
  message: MessageState,
): Queue | undefined {
  const policy = queue.settings.redrivePolicy;
  if (!policy || message.receiveCount < policy.maxReceiveCount) return undefined;
  return ctx.queues.findByArn(policy.deadLetterTargetArn);
}

/**
 * Moves a message from its queue to a dead-letter queue (or back, for a move
 * task). It keeps its id, body and attributes. On a standard queue it keeps its
 * enqueue time, so retention still counts from the original send; a FIFO
 * dead-letter queue restarts it. Into a dead-letter queue the receive count
 * keeps counting (AWS shows 2 on the first receive there); a move task
 * redriving it back starts it over, or it would bounce straight back.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
export function moveMessage(
  ctx: EngineContext,
  from: Queue,
  to: Queue,
  message: MessageState,
  now: number,
  move: { deadLetterSourceArn: string } | { redrive: true },
): void {
  from.remove(message);
  message.queueId = to.id;
  message.visibleAt = now;
  if ("redrive" in move) {
    message.receiveCount = 0;
    message.firstReceivedAt = 0;
    message.lastReceivedAt = 0;
    message.deadLetterSourceArn = undefined;
  } else {
    message.deadLetterSourceArn = move.deadLetterSourceArn;
  }
  if (to.fifo) message.sentAt = now;
  to.add(message, now);
  ctx.store.updateMessage(message);
  ctx.expiresAt(message.sentAt + to.settings.retentionMs);
}

/** Queues whose redrive policy names `queue` as their dead-letter queue, by name. */
export function deadLetterSources(ctx: EngineContext, queue: Queue): Queue[] {
  return ctx.queues
    .sorted()
    .filter((q) => q.settings.redrivePolicy?.deadLetterTargetArn === queue.arn);
}
