import type { Database, Statement } from "better-sqlite3";
import type { MessagePayload } from "../engine/message-types.ts";
import type { DedupRecord, MessageRecord, QueueRecord } from "../engine/store.ts";
import { encodeAttributes } from "./attribute-codec.ts";
import type { DedupRow, MessageRecordRow, PayloadRow, QueueRow } from "./sqlite-rows.ts";
import {
  DEDUP_COLUMNS,
  MESSAGE_RECORD_COLUMNS,
  PAYLOAD_COLUMNS,
  QUEUE_COLUMNS,
  toDedupRecord,
  toMessageRecord,
  toQueueRecord,
} from "./sqlite-rows.ts";
import type { BulkDelete, MessageWrite, WriteBatch } from "./write-batch.ts";

/**
 * Every statement the store runs, prepared once when the store opens (a
 * prepare costs far more than a run). Parameters are positional: binding
 * them skips the name lookups of named parameters.
 */
export class SqliteStatements {
  /** Writes a whole batch in one transaction; throws (and rolls back) if any write fails. */
  readonly writeBatch: (batch: WriteBatch) => void;

  private readonly upsertQueue: Statement<unknown[]>;
  private readonly deleteQueue: Statement<[number]>;
  private readonly insertMessage: Statement<unknown[]>;
  private readonly updateMessageInPlace: Statement<unknown[]>;
  private readonly updateMessageQueue: Statement<unknown[]>;
  private readonly deleteMessage: Statement<[number]>;
  private readonly deleteQueueMessages: Statement<[number]>;
  private readonly purgeMessages: Statement<[number, number]>;
  private readonly upsertDedup: Statement<unknown[]>;
  private readonly deleteQueueDedup: Statement<[number]>;
  private readonly pruneDedup: Statement<[number]>;
  private readonly selectPayload: Statement<[number], PayloadRow>;
  private readonly selectQueues: Statement<[], QueueRow>;
  private readonly selectMessages: Statement<[], MessageRecordRow>;
  private readonly selectDedup: Statement<[], DedupRow>;

  constructor(db: Database) {
    this.upsertQueue = db.prepare(
      `INSERT OR REPLACE INTO queues (${QUEUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteQueue = db.prepare("DELETE FROM queues WHERE id = ?");
    // OR REPLACE: both stores let a second insert of a seq replace the first.
    this.insertMessage = db.prepare(
      `INSERT OR REPLACE INTO messages (${MESSAGE_RECORD_COLUMNS}, message_id, sender_id,
         md5_of_body, md5_of_message_attributes, md5_of_system_attributes, deduplication_id,
         system_attributes, message_attributes, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Setting queue_id, even to its own value, rewrites the row's index entry;
    // receives (the common update) leave the queue alone, so try without it first.
    this.updateMessageInPlace = db.prepare(
      `UPDATE messages SET sent_at = ?, visible_at = ?, receive_count = ?, first_received_at = ?,
         last_received_at = ?, group_id = ?, dead_letter_source_arn = ?
       WHERE seq = ? AND queue_id = ?`,
    );
    this.updateMessageQueue = db.prepare(
      `UPDATE messages SET sent_at = ?, visible_at = ?, receive_count = ?, first_received_at = ?,
         last_received_at = ?, group_id = ?, dead_letter_source_arn = ?, queue_id = ?
       WHERE seq = ?`,
    );
    this.deleteMessage = db.prepare("DELETE FROM messages WHERE seq = ?");
    this.deleteQueueMessages = db.prepare("DELETE FROM messages WHERE queue_id = ?");
    this.purgeMessages = db.prepare("DELETE FROM messages WHERE queue_id = ? AND seq <= ?");
    this.upsertDedup = db.prepare(
      `INSERT OR REPLACE INTO dedup_entries (${DEDUP_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
    );
    this.deleteQueueDedup = db.prepare("DELETE FROM dedup_entries WHERE queue_id = ?");
    this.pruneDedup = db.prepare("DELETE FROM dedup_entries WHERE expires_at <= ?");
    this.selectPayload = db
      .prepare<[number], PayloadRow>(`SELECT ${PAYLOAD_COLUMNS} FROM messages WHERE seq = ?`)
      .raw();
    this.selectQueues = db
      .prepare<[], QueueRow>(`SELECT ${QUEUE_COLUMNS} FROM queues ORDER BY id`)
      .raw();
    this.selectMessages = db
      .prepare<[], MessageRecordRow>(`SELECT ${MESSAGE_RECORD_COLUMNS} FROM messages ORDER BY seq`)
      .raw();
    this.selectDedup = db.prepare<[], DedupRow>(`SELECT ${DEDUP_COLUMNS} FROM dedup_entries`).raw();
    this.writeBatch = db.transaction((batch: WriteBatch) => this.write(batch));
  }

  /** The committed payload row of a message (its queue first), if any. */
  readPayloadRow(seq: number): PayloadRow | undefined {
    return this.selectPayload.get(seq);
  }

  queues(): QueueRecord[] {
    return this.selectQueues.all().map(toQueueRecord);
  }

  dedupEntries(): DedupRecord[] {
    return this.selectDedup.all().map(toDedupRecord);
  }

  /**
   * The messages in seq order, read lazily: each iteration runs the query
   * again, and holds the connection while it runs (finish it before the next
   * commit, as the engine does while it loads).
   */
  messages(): Iterable<MessageRecord> {
    const select = this.selectMessages;
    return {
      [Symbol.iterator]: () => {
        const rows = select.iterate();
        return {
          next: (): IteratorResult<MessageRecord> => {
            const row = rows.next();
            return row.done === true
              ? { done: true, value: undefined }
              : { done: false, value: toMessageRecord(row.value) };
          },
          // Lets a `break` out of a for-of free the connection.
          return: (): IteratorResult<MessageRecord> => {
            rows.return?.();
            return { done: true, value: undefined };
          },
        };
      },
    };
  }

  private write(batch: WriteBatch): void {
    for (const segment of batch.segments) {
      for (const queue of segment.queues.values()) this.writeQueue(queue);
      for (const [seq, write] of segment.messages) this.writeMessage(seq, write);
      for (const entry of segment.dedupEntries.values()) {
        this.upsertDedup.run(entry.queueId, entry.key, entry.messageId, entry.seq, entry.expiresAt);
      }
      if (segment.bulkDelete) this.runBulkDelete(segment.bulkDelete);
    }
  }

  private writeQueue(queue: QueueRecord): void {
    this.upsertQueue.run(
      queue.id,
      queue.name,
      JSON.stringify(queue.attributes),
      JSON.stringify(queue.tags),
      queue.createdAt,
      queue.lastModifiedAt,
      queue.lastPurgedAt,
    );
  }

  private writeMessage(seq: number, write: MessageWrite): void {
    switch (write.kind) {
      case "insert":
        this.writeInsert(write.record, write.payload);
        return;
      case "update": {
        const m = write.record;
        const groupId = m.groupId ?? null;
        const arn = m.deadLetterSourceArn ?? null;
        const inPlace = this.updateMessageInPlace.run(
          m.sentAt,
          m.visibleAt,
          m.receiveCount,
          m.firstReceivedAt,
          m.lastReceivedAt,
          groupId,
          arn,
          seq,
          m.queueId,
        );
        if (inPlace.changes === 0) {
          // Moved to another queue (or gone, when this is a no-op too).
          this.updateMessageQueue.run(
            m.sentAt,
            m.visibleAt,
            m.receiveCount,
            m.firstReceivedAt,
            m.lastReceivedAt,
            groupId,
            arn,
            m.queueId,
            seq,
          );
        }
        return;
      }
      case "delete":
        this.deleteMessage.run(seq);
        return;
    }
  }

  private writeInsert(m: MessageRecord, p: MessagePayload): void {
    this.insertMessage.run(
      m.seq,
      m.queueId,
      m.sentAt,
      m.visibleAt,
      m.receiveCount,
      m.firstReceivedAt,
      m.lastReceivedAt,
      m.groupId ?? null,
      m.deadLetterSourceArn ?? null,
      p.messageId,
      p.senderId,
      p.md5OfBody,
      p.md5OfMessageAttributes ?? null,
      p.md5OfSystemAttributes ?? null,
      p.deduplicationId ?? null,
      encodeAttributes(p.systemAttributes),
      encodeAttributes(p.messageAttributes),
      p.body,
    );
  }

  private runBulkDelete(bulkDelete: BulkDelete): void {
    switch (bulkDelete.kind) {
      case "removeQueue":
        this.deleteQueue.run(bulkDelete.queueId);
        this.deleteQueueMessages.run(bulkDelete.queueId);
        this.deleteQueueDedup.run(bulkDelete.queueId);
        return;
      case "purgeMessages":
        this.purgeMessages.run(bulkDelete.queueId, bulkDelete.upToSeq);
        return;
      case "pruneDedup":
        this.pruneDedup.run(bulkDelete.now);
        return;
    }
  }
}
