import { errors } from "./errors.ts";

/**
 * What a receipt handle points at: one receive of one message. A handle from
 * an earlier receive names an older `receiveCount`, which is how a stale
 * handle is told apart from the current one.
 */
export interface ReceiptTarget {
  queueId: number;
  seq: number;
  receiveCount: number;
}

const PREFIX = "mr1";

/**
 * Handles are opaque to clients: a version prefix, then queue, message and
 * receive numbers, base64url-encoded. A re-created queue has a new queue id,
 * so handles never leak across queue generations.
 */
export function encodeReceiptHandle(target: ReceiptTarget): string {
  const text = `${target.queueId}:${target.seq}:${target.receiveCount}`;
  return PREFIX + Buffer.from(text, "latin1").toString("base64url");
}

export function decodeReceiptHandle(handle: string): ReceiptTarget {
  if (handle.startsWith(PREFIX) && handle.length < 128) {
    const text = Buffer.from(handle.slice(PREFIX.length), "base64url").toString("latin1");
    const match = /^(\d+):(\d+):(\d+)$/.exec(text);
    if (match) {
      return { queueId: Number(match[1]), seq: Number(match[2]), receiveCount: Number(match[3]) };
    }
  }
  throw errors.receiptHandleInvalid(handle);
}
