import { MAX_VISIBILITY_SECONDS } from "./message-rules.ts";
import type { EngineContext } from "./engine-context.ts";
import { SqsError, errors } from "./errors.ts";
import { MessageStatus } from "./message-state.ts";
import type { MessageState } from "./message-state.ts";
import type { Queue } from "./queue.ts";
import { decodeReceiptHandle } from "./receipt-handle.ts";
import type { ReceiptTarget } from "./receipt-handle.ts";

/**
 * DeleteMessage. Deleting an already deleted message succeeds. On a standard
 * queue any handle the message was ever received with deletes it (AWS does
 * this, whatever the API reference says of older handles); on a FIFO queue a
 * handle whose visibility timeout has run out is refused, because the message
 * may already be another consumer's.
 * Observed behaviour: docs/reference/aws-sqs-behaviour.md, section 6.
 * NumberOfMessagesDeleted counts repeated deletes too, as CloudWatch does:
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 */
export function deleteMessage(
  ctx: EngineContext,
  queue: Queue,
  receiptHandle: string,
  now: number,
): void {
  const target = resolve(queue, receiptHandle);
  const message = queue.messages.get(target.seq);
  if (message) {
    if (queue.fifo && !isCurrentReceive(queue, message, target, now)) {
      throw errors.invalidParameter(
        "ReceiptHandle",
        receiptHandle,
        "The receipt handle has expired.",
      );
    }
    queue.remove(message);
    ctx.store.deleteMessage(message.seq);
  }
  // CloudWatch counts every successful delete with a valid handle, repeats included.
  queue.metrics.recordDeleted(now);
}

/**
 * ChangeMessageVisibility: restarts the message's visibility timeout from now
 * (0 makes it visible at once), within 12 hours of its latest receive. A
 * handle whose message is no longer in flight from that receive is accepted
 * and changes nothing, as on AWS; a deleted message is an error.
 */
export function changeMessageVisibility(
  ctx: EngineContext,
  queue: Queue,
  receiptHandle: string,
  visibilityTimeout: number,
): void {
  const now = ctx.clock.now();
  const target = resolve(queue, receiptHandle);
  const message = queue.messages.get(target.seq);
  if (!message) {
    throw errors.invalidParameter(
      "ReceiptHandle",
      receiptHandle,
      "Message does not exist or is not available for visibility timeout change.",
    );
  }
  if (
    !Number.isInteger(visibilityTimeout) ||
    visibilityTimeout < 0 ||
    visibilityTimeout > MAX_VISIBILITY_SECONDS
  ) {
    throw errors.invalidParameter(
      "VisibilityTimeout",
      visibilityTimeout,
      `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
    );
  }
  if (!isCurrentReceive(queue, message, target, now)) return;
  if (now + visibilityTimeout * 1000 > message.lastReceivedAt + MAX_VISIBILITY_SECONDS * 1000) {
    throw errors.invalidParameter(
      "VisibilityTimeout",
      visibilityTimeout,
      `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_SECONDS} seconds].`,
    );
  }
  queue.changeVisibility(message, now, visibilityTimeout * 1000);
  ctx.store.updateMessage(message);
}

/** Whether the message is still in flight from the receive the handle came from. */
function isCurrentReceive(
  queue: Queue,
  message: MessageState,
  target: ReceiptTarget,
  now: number,
): boolean {
  queue.refresh(now);
  return message.status === MessageStatus.InFlight && message.receiveCount === target.receiveCount;
}

/** The receive a handle names, if of this queue; malformed or foreign handles throw. */
function resolve(queue: Queue, receiptHandle: string): ReceiptTarget {
  const target = decodeReceiptHandle(receiptHandle);
  if (target.queueId !== queue.id) {
    throw new SqsError(
      "ReceiptHandleIsInvalid",
      `The receipt handle "${receiptHandle}" is not valid for this queue.`,
    );
  }
  return target;
}
