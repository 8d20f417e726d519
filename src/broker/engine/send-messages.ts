import { contentDeduplicationId, md5OfAttributes, md5OfBody } from "./checksums.ts";
import { DEDUPLICATION_WINDOW_MS } from "./dedup-cache.ts";
import type { EngineContext } from "./engine-context.ts";
import { SqsError, errors } from "./errors.ts";
import { FifoQueue } from "./fifo-queue.ts";
import { assertValidFifoId, formatSequenceNumber, notValidForQueueType } from "./fifo-ids.ts";
import { MessageState } from "./message-state.ts";
import {
  assertValidBody,
  assertValidMessageAttributes,
  byteLength,
  hasInvalidCharacter,
} from "./message-rules.ts";
import type {
  MessageAttributes,
  MessagePayload,
  SendMessageRequest,
  SendMessageResult,
} from "./message-types.ts";
import type { Queue } from "./queue.ts";

const MAX_DELAY_SECONDS = 900;

/** SendMessage: validates, deduplicates (FIFO), stores and enqueues one message. */
export function sendMessage(
  ctx: EngineContext,
  queue: Queue,
  request: SendMessageRequest,
  senderId: string,
): SendMessageResult {
  return send(ctx, queue, request, senderId, undefined);
}

/** One SendMessageBatch entry: as sendMessage, with the entry's Id heading its result. */
export function sendBatchEntry(
  ctx: EngineContext,
  queue: Queue,
  entry: SendMessageRequest & { Id: string },
  senderId: string,
): SendMessageResult & { Id: string } {
  return send(ctx, queue, entry, senderId, entry.Id) as SendMessageResult & { Id: string };
}

function send(
  ctx: EngineContext,
  queue: Queue,
  request: SendMessageRequest,
  senderId: string,
  entryId: string | undefined,
): SendMessageResult & { Id?: string } {
  const inBatch = entryId !== undefined;
  const body = request.MessageBody;
  assertValidBody(body);
  assertValidDelay(queue, request.DelaySeconds);
  const size =
    byteLength(body) +
    assertValidMessageAttributes(request.MessageAttributes) +
    assertValidSystemAttributes(request.MessageSystemAttributes);
  const groupId = checkGroupId(queue, request.MessageGroupId);
  const deduplicationId =
    queue instanceof FifoQueue
      ? fifoDeduplicationId(queue, request)
      : rejectDeduplicationId(request);
  if (size > queue.settings.maximumMessageSize) {
    throw new SqsError(
      "InvalidParameterValue",
      // AWS words this differently for a batch entry than for a single send.
      `One or more parameters ${inBatch ? "cannot be validated" : "are invalid"}. Reason: Message must be shorter than ${queue.settings.maximumMessageSize} bytes.`,
    );
  }

  const now = ctx.clock.now();
  const send: PreparedSend = {
    request,
    senderId,
    groupId,
    deduplicationId,
    md5: md5OfBody(body),
    md5Attributes: md5OfAttributes(request.MessageAttributes),
    md5System: md5OfAttributes(request.MessageSystemAttributes),
    entryId,
    size,
  };
  if (!(queue instanceof FifoQueue) || deduplicationId === undefined) {
    return result(send, enqueue(ctx, queue, send, now).messageId, undefined);
  }
  queue.dedup.prune(now);
  const key = dedupKey(queue, groupId, deduplicationId);
  const seen = queue.dedup.find(key, now);
  // A duplicate is accepted and answered as the original was, but not enqueued again.
  if (seen) return result(send, seen.messageId, formatSequenceNumber(seen.seq));
  const sent = enqueue(ctx, queue, send, now);
  const entry = {
    queueId: queue.id,
    key,
    messageId: sent.messageId,
    seq: sent.seq,
    expiresAt: now + DEDUPLICATION_WINDOW_MS,
  };
  queue.dedup.remember(entry);
  ctx.store.putDedupEntry(entry);
  ctx.expiresAt(entry.expiresAt);
  return result(send, sent.messageId, formatSequenceNumber(sent.seq));
}

/** A message that passed every check, with its checksums, ready to enqueue. */
interface PreparedSend {
  request: SendMessageRequest;
  senderId: string;
  groupId: string | undefined;
  deduplicationId: string | undefined;
  md5: string;
  md5Attributes: string | undefined;
  md5System: string | undefined;
  entryId: string | undefined;
  /** Body and attributes, bytes: SentMessageSize. */
  size: number;
}

function enqueue(
  ctx: EngineContext,
  queue: Queue,
  send: PreparedSend,
  now: number,
): { messageId: string; seq: number } {
  const { request } = send;
  const seq = ctx.nextSeq();
  const messageId = ctx.ids.messageId();
  // A FIFO queue only has a queue-level delay (a per-message 0 is accepted and means "the queue's").
  const delayMs =
    request.DelaySeconds === undefined || queue.fifo
      ? queue.settings.delayMs
      : request.DelaySeconds * 1000;
  const message = new MessageState(seq, queue.id, now, now + delayMs, 0, 0, 0, send.groupId);
  const payload: MessagePayload = {
    messageId,
    body: request.MessageBody,
    md5OfBody: send.md5,
    senderId: send.senderId,
  };
  if (send.md5Attributes) {
    payload.messageAttributes = request.MessageAttributes as MessageAttributes;
    payload.md5OfMessageAttributes = send.md5Attributes;
  }
  if (send.md5System) {
    payload.systemAttributes = request.MessageSystemAttributes as MessageAttributes;
    payload.md5OfSystemAttributes = send.md5System;
  }
  if (send.deduplicationId !== undefined) payload.deduplicationId = send.deduplicationId;
  ctx.store.insertMessage(message, payload);
  const wasEmpty = queue.messages.size === 0;
  queue.add(message, now);
  queue.metrics.recordSent(send.size, now);
  if (wasEmpty) ctx.expiresAt(now + queue.settings.retentionMs);
  return { messageId, seq };
}

function result(
  send: PreparedSend,
  messageId: string,
  sequenceNumber: string | undefined,
): SendMessageResult & { Id?: string } {
  // Built with the entry's Id first rather than spread into another object afterwards.
  const sent: SendMessageResult & { Id?: string } =
    send.entryId === undefined
      ? { MessageId: messageId, MD5OfMessageBody: send.md5 }
      : { Id: send.entryId, MessageId: messageId, MD5OfMessageBody: send.md5 };
  if (send.md5Attributes) sent.MD5OfMessageAttributes = send.md5Attributes;
  if (send.md5System) sent.MD5OfMessageSystemAttributes = send.md5System;
  if (sequenceNumber) sent.SequenceNumber = sequenceNumber;
  return sent;
}

/**
 * FIFO rules that fail a whole SendMessageBatch rather than one entry: every
 * entry needs a group, and a deduplication id unless the queue derives one.
 */
export function assertValidFifoBatch(queue: Queue, entries: SendMessageRequest[]): void {
  if (!queue.fifo) return;
  for (const entry of entries) {
    if (entry.MessageGroupId === undefined) {
      throw new SqsError(
        "InvalidParameterValue",
        "The request must contain the parameter MessageGroupId.",
      );
    }
    if (entry.MessageDeduplicationId === undefined && !queue.settings.contentBasedDeduplication) {
      throw noDeduplicationId();
    }
  }
}

function assertValidDelay(queue: Queue, delay: number | undefined): void {
  if (delay === undefined) return;
  if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_SECONDS) {
    throw errors.invalidParameter(
      "DelaySeconds",
      delay,
      `DelaySeconds must be >= 0 and <= ${MAX_DELAY_SECONDS}.`,
    );
  }
  // FIFO queues only take a queue-level delay.
  if (queue.fifo && delay !== 0) throw notValidForQueueType("DelaySeconds", delay);
}

/** Only AWSTraceHeader, a String, may be given as a system attribute. */
function assertValidSystemAttributes(attributes: MessageAttributes | undefined): number {
  if (!attributes) return 0;
  let size = 0;
  for (const [name, value] of Object.entries(attributes)) {
    if (name !== "AWSTraceHeader") {
      throw new SqsError(
        "InvalidParameterValue",
        `Message system attribute name '${name}' is invalid.`,
      );
    }
    if (value.DataType !== "String" || !value.StringValue) {
      throw new SqsError(
        "InvalidParameterValue",
        "The message system attribute 'AWSTraceHeader' must contain a non-empty String value.",
      );
    }
    if (hasInvalidCharacter(value.StringValue)) {
      throw new SqsError(
        "InvalidParameterValue",
        "Message system attribute 'AWSTraceHeader' value contains invalid characters.",
      );
    }
    size += byteLength(name) + byteLength(value.DataType) + byteLength(value.StringValue);
  }
  return size;
}

/** FIFO queues require a group; standard queues accept one as a fair-queue tenant. */
function checkGroupId(queue: Queue, groupId: string | undefined): string | undefined {
  if (groupId === undefined) {
    if (queue.fifo) throw errors.missingParameter("MessageGroupId");
    return undefined;
  }
  assertValidFifoId("MessageGroupId", groupId);
  return groupId;
}

function fifoDeduplicationId(queue: Queue, request: SendMessageRequest): string {
  const explicit = request.MessageDeduplicationId;
  if (explicit !== undefined) {
    assertValidFifoId("MessageDeduplicationId", explicit);
    return explicit;
  }
  if (queue.settings.contentBasedDeduplication) return contentDeduplicationId(request.MessageBody);
  throw noDeduplicationId();
}

/** A FIFO send with no deduplication id, to a queue without content-based deduplication. */
function noDeduplicationId(): SqsError {
  return new SqsError(
    "InvalidParameterValue",
    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly",
  );
}

function rejectDeduplicationId(request: SendMessageRequest): undefined {
  if (request.MessageDeduplicationId !== undefined) {
    throw notValidForQueueType("MessageDeduplicationId", request.MessageDeduplicationId);
  }
  return undefined;
}

function dedupKey(queue: Queue, groupId: string | undefined, deduplicationId: string): string {
  return queue.settings.deduplicationPerGroup
    ? `${groupId}\u0000${deduplicationId}`
    : deduplicationId;
}
