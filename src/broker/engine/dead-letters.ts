import type { EngineContext } from "./engine-context.ts";
import { MessageState } from "./message-state.ts";
import type { MessagePayload } from "./message-types.ts";
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
  const target = ctx.queues.findByArn(policy.deadLetterTargetArn);
  // A queue named as its own dead-letter queue keeps its messages, as with no policy:
  // moved into itself, a message would only be moved again.
  return target === queue ? undefined : target;
}

/**
 * Moves a message received too often to its queue's dead-letter queue. It
 * keeps its id, body and attributes. On a standard queue it keeps its
 * enqueue time, so retention still counts from the original send; a FIFO
 * dead-letter queue restarts it. The receive count keeps counting (AWS shows
 * 2 on the first receive there). A FIFO message's deduplication id reads as
 * its message id there (see dedupIdOf).
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 *
 * It takes a new seq, so a queue's messages stay in the order they arrived
 * in it (retention relies on that, see Queue.oldest), and a FIFO
 * dead-letter queue gives it a SequenceNumber of its own.
 */
export function moveToDeadLetterQueue(
  ctx: EngineContext,
  from: Queue,
  to: Queue,
  message: MessageState,
  now: number,
): void {
  moveAsNew(ctx, from, to, message, now, (seq, payload) => ({
    state: new MessageState(
      seq,
      to.id,
      to.fifo ? now : message.sentAt,
      now,
      message.receiveCount,
      message.firstReceivedAt,
      message.lastReceivedAt,
      message.groupId,
      from.arn,
    ),
    payload,
  }));
}

/**
 * Moves a message out of a dead-letter queue (a move task's redrive) as a
 * new message: "All redriven messages are considered new messages and are
 * assigned a new messageID and enqueueTime", and the redrive "resets the
 * retention period" (SQS Developer Guide, dead-letter queue redrive). So it
 * gets a new id, a new seq (a FIFO queue's new SequenceNumber) and a fresh
 * receive count, and keeps its body, attributes and message group.
 */
export function redriveMessage(
  ctx: EngineContext,
  from: Queue,
  to: Queue,
  message: MessageState,
  now: number,
): void {
  moveAsNew(ctx, from, to, message, now, (seq, payload) => {
    const deduplicationId = dedupIdOf(from, message, payload);
    return {
      state: new MessageState(seq, to.id, now, now, 0, 0, 0, message.groupId),
      payload: {
        ...payload,
        messageId: ctx.ids.messageId(),
        ...(deduplicationId === undefined ? {} : { deduplicationId }),
      },
    };
  });
}

/**
 * Takes `message` out of `from` and puts what `remake` makes of it (its
 * state and payload) into `to` under a new seq, so that each queue's
 * messages stay in the order they arrived in it. A message whose payload is
 * gone (purged meanwhile) is only taken out.
 */
function moveAsNew(
  ctx: EngineContext,
  from: Queue,
  to: Queue,
  message: MessageState,
  now: number,
  remake: (
    seq: number,
    payload: MessagePayload,
  ) => { state: MessageState; payload: MessagePayload },
): void {
  from.remove(message);
  const payload = ctx.store.readPayload(message.seq);
  ctx.store.deleteMessage(message.seq);
  if (payload === undefined) return;
  const moved = remake(ctx.nextSeq(), payload);
  ctx.store.insertMessage(moved.state, moved.payload);
  to.add(moved.state, now);
  ctx.expiresAt(moved.state.sentAt + to.settings.retentionMs);
}

/**
 * A message's MessageDeduplicationId as SQS reports it. In a FIFO
 * dead-letter queue it is the message's id: "the original message's
 * deduplication ID will be replaced with the original message's ID", so
 * that two messages that shared one stay two there.
 */
export function dedupIdOf(
  queue: Queue,
  message: MessageState,
  payload: MessagePayload,
): string | undefined {
  return queue.fifo && message.deadLetterSourceArn !== undefined
    ? payload.messageId
    : payload.deduplicationId;
}

/** Queues whose redrive policy names `queue` as their dead-letter queue, by name. */
export function deadLetterSources(ctx: EngineContext, queue: Queue): Queue[] {
  return ctx.queues
    .sorted()
    .filter((q) => q.settings.redrivePolicy?.deadLetterTargetArn === queue.arn);
}
