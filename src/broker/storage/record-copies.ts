import type { MessageRecord, QueueRecord } from "../engine/store.ts";

/**
 * A plain copy of a message's delivery state. Stores copy on write because
 * the engine hands over its live, mutable message objects; optional fields
 * that are undefined are left out, so a record reads back as it was meant.
 */
export function copyMessageRecord(message: MessageRecord): MessageRecord {
  const copy: MessageRecord = {
    seq: message.seq,
    queueId: message.queueId,
    sentAt: message.sentAt,
    visibleAt: message.visibleAt,
    receiveCount: message.receiveCount,
    firstReceivedAt: message.firstReceivedAt,
    lastReceivedAt: message.lastReceivedAt,
  };
  if (message.groupId !== undefined) copy.groupId = message.groupId;
  if (message.deadLetterSourceArn !== undefined) {
    copy.deadLetterSourceArn = message.deadLetterSourceArn;
  }
  return copy;
}

/** A copy of a queue record that shares no objects with the caller's. */
export function copyQueueRecord(queue: QueueRecord): QueueRecord {
  return { ...queue, attributes: { ...queue.attributes }, tags: { ...queue.tags } };
}
