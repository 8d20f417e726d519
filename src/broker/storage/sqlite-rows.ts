import type { MessagePayload } from "../engine/message-types.ts";
import type { DedupRecord, QueueRecord } from "../engine/store.ts";
import { decodeAttributes } from "./attribute-codec.ts";

/*
 * Rows as `.raw()` statements return them (arrays, which skip building a
 * keyed object per row), and their conversion into records. Each SELECT in
 * sqlite-statements.ts lists its columns in the order of these tuples.
 */

/** The delivery state, in MessageRecord's order. */
export const MESSAGE_RECORD_COLUMNS =
  "seq, queue_id, sent_at, visible_at, receive_count, first_received_at, last_received_at, group_id, dead_letter_source_arn";

/** The queue comes first so that a read can tell whether a pending bulk delete removes the row. */
export const PAYLOAD_COLUMNS =
  "queue_id, message_id, sender_id, md5_of_body, md5_of_message_attributes, md5_of_system_attributes, deduplication_id, system_attributes, message_attributes, body";

export type PayloadRow = [
  queueId: number,
  messageId: string,
  senderId: string,
  md5OfBody: string,
  md5OfMessageAttributes: string | null,
  md5OfSystemAttributes: string | null,
  deduplicationId: string | null,
  systemAttributes: string | null,
  messageAttributes: string | null,
  body: string,
];

export function toPayload(row: PayloadRow): MessagePayload {
  const payload: MessagePayload = {
    messageId: row[1],
    body: row[9],
    md5OfBody: row[3],
    senderId: row[2],
  };
  if (row[8] !== null) payload.messageAttributes = decodeAttributes(row[8]);
  if (row[4] !== null) payload.md5OfMessageAttributes = row[4];
  if (row[7] !== null) payload.systemAttributes = decodeAttributes(row[7]);
  if (row[5] !== null) payload.md5OfSystemAttributes = row[5];
  if (row[6] !== null) payload.deduplicationId = row[6];
  return payload;
}

export const QUEUE_COLUMNS =
  "id, name, attributes, tags, created_at, last_modified_at, last_purged_at";

export type QueueRow = [
  id: number,
  name: string,
  attributes: string,
  tags: string,
  createdAt: number,
  lastModifiedAt: number,
  lastPurgedAt: number,
];

export function toQueueRecord(row: QueueRow): QueueRecord {
  return {
    id: row[0],
    name: row[1],
    attributes: JSON.parse(row[2]) as Record<string, string>,
    tags: JSON.parse(row[3]) as Record<string, string>,
    createdAt: row[4],
    lastModifiedAt: row[5],
    lastPurgedAt: row[6],
  };
}

export const DEDUP_COLUMNS = "queue_id, key, message_id, seq, expires_at";

export type DedupRow = [
  queueId: number,
  key: string,
  messageId: string,
  seq: number,
  expiresAt: number,
];

export function toDedupRecord(row: DedupRow): DedupRecord {
  return { queueId: row[0], key: row[1], messageId: row[2], seq: row[3], expiresAt: row[4] };
}
