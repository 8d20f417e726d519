import type { EngineContext } from "./engine-context.ts";
import { SqsError, errors } from "./errors.ts";
import { MessageStatus } from "./message-state.ts";
import type { MessageState } from "./message-state.ts";
import type { Queue } from "./queue.ts";
import { decodeReceiptHandle } from "./receipt-handle.ts";

/** Longest a message can stay invisible, counted from its latest receive. */
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * DeleteMessage. Deleting an already deleted message succeeds. A handle from
 * an earlier receive than the latest one "succeeds, but the message will not
 * be deleted", as the API reference puts it.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
 */
export function deleteMessage(ctx: EngineContext, queue: Queue, receiptHandle: string): void {
  const message = messageFor(queue, receiptHandle);
  if (!message) return;
  queue.remove(message);
  ctx.store.deleteMessage(message.seq);
}

/**
 * ChangeMessageVisibility: restarts the message's visibility timeout from now
 * (0 makes it visible at once), within 12 hours of its latest receive.
 */
export function changeMessageVisibility(
  ctx: EngineContext,
  queue: Queue,
  receiptHandle: string,
  visibilityTimeout: number,
): void {
  if (!Number.isInteger(visibilityTimeout) || visibilityTimeout < 0 || visibilityTimeout > MAX_VISIBILITY_SECONDS) {
    throw errors.invalidParameter(
      "VisibilityTimeout",
      visibilityTimeout,
      `Must be >= 0 and <= ${MAX_VISIBILITY_SECONDS}, if provided.`,
    );
  }
  const now = ctx.clock.now();
  queue.refresh(now);
  const message = messageFor(queue, receiptHandle);
  if (!message || message.status !== MessageStatus.InFlight) {
    throw new SqsError(
      "MessageNotInflight",
      "Message does not exist or is not available for visibility timeout change.",
    );
  }
  if (now + visibilityTimeout * 1000 > message.lastReceivedAt + MAX_VISIBILITY_SECONDS * 1000) {
    throw errors.invalidParameter(
      "VisibilityTimeout",
      visibilityTimeout,
      `Total VisibilityTimeout for the message is beyond the limit [${MAX_VISIBILITY_SECONDS} seconds]`,
    );
  }
  queue.changeVisibility(message, now, visibilityTimeout * 1000);
  ctx.store.updateMessage(message);
}

/** The live message a handle refers to, if the handle is its latest; invalid handles throw. */
function messageFor(queue: Queue, receiptHandle: string): MessageState | undefined {
  const target = decodeReceiptHandle(receiptHandle);
  if (target.queueId !== queue.id) throw errors.receiptHandleInvalid(receiptHandle);
  const message = queue.messages.get(target.seq);
  if (!message || message.receiveCount !== target.receiveCount) return undefined;
  return message;
}
