import type { MessagePayload } from "../engine/message-types.ts";
import type {
  DedupRecord,
  EngineRecord,
  EngineRecordKind,
  MessageRecord,
  QueueRecord,
} from "../engine/store.ts";
import { copyMessageRecord, copyQueueRecord } from "./record-copies.ts";

/** The last buffered write to one message, after merging the earlier ones of the same segment. */
export type MessageWrite =
  | { kind: "insert"; record: MessageRecord; payload: MessagePayload }
  | { kind: "update"; record: MessageRecord }
  | { kind: "delete" };

/** A write that deletes by condition instead of by key. */
export type BulkDelete =
  | { kind: "removeQueue"; queueId: number }
  | { kind: "purgeMessages"; queueId: number; upToSeq: number }
  | { kind: "pruneDedup"; now: number };

/**
 * Keyed writes that may be merged and run in any order among themselves,
 * followed by the bulk delete (if any) that ended the segment.
 */
export class WriteSegment {
  readonly queues = new Map<number, QueueRecord>();
  readonly messages = new Map<number, MessageWrite>();
  /** Keyed by `dedupKey()`. */
  readonly dedupEntries = new Map<string, DedupRecord>();
  bulkDelete: BulkDelete | undefined;
}

/**
 * The writes of one group commit. Writes to the same key merge (an insert
 * then a delete leaves nothing). A bulk delete drops the matching writes of
 * its own segment at once, then ends the segment, so that the writes issued
 * after it run after it: replayed in segment order, the batch has exactly the
 * effect of the calls in the order they were made (a message moved into a
 * queue just after that queue was purged survives; one moved out of a queue
 * just before the queue is removed survives too).
 */
export class WriteBatch {
  readonly segments: WriteSegment[] = [new WriteSegment()];
  /** The highest seq inserted, kept even when the insert itself merged away. */
  highestSeq = 0;
  /**
   * The latest put of each engine record (`value` undefined: forget it), by
   * kind and key. Kept outside the segments: no bulk delete touches them.
   */
  readonly engineRecords = new Map<string, Omit<EngineRecord, "value"> & { value?: string }>();
  private current = this.segments[0]!;

  /** Whether nothing at all was written (beforeCommit work may schedule a commit that writes nothing). */
  get isEmpty(): boolean {
    const only = this.current;
    return (
      this.highestSeq === 0 &&
      this.engineRecords.size === 0 &&
      this.segments.length === 1 &&
      only.messages.size === 0 &&
      only.queues.size === 0 &&
      only.dedupEntries.size === 0 &&
      only.bulkDelete === undefined
    );
  }

  putQueue(queue: QueueRecord): void {
    this.current.queues.set(queue.id, copyQueueRecord(queue));
  }

  insertMessage(message: MessageRecord, payload: MessagePayload): void {
    const record = copyMessageRecord(message);
    this.current.messages.set(message.seq, { kind: "insert", record, payload });
    if (message.seq > this.highestSeq) this.highestSeq = message.seq;
  }

  updateMessage(message: MessageRecord): void {
    const writes = this.current.messages;
    const previous = writes.get(message.seq);
    if (previous === undefined) {
      writes.set(message.seq, { kind: "update", record: copyMessageRecord(message) });
    } else if (previous.kind !== "delete") {
      // An insert stays an insert, with the latest state.
      previous.record = copyMessageRecord(message);
    }
    // After a delete the message is gone, and an update cannot bring it back.
  }

  deleteMessage(seq: number): void {
    const writes = this.current.messages;
    if (writes.get(seq)?.kind === "insert") {
      // Inserted in this segment, so never in the database: write nothing.
      writes.delete(seq);
    } else {
      writes.set(seq, DELETE);
    }
  }

  putDedupEntry(entry: DedupRecord): void {
    const key = dedupKey(entry.queueId, entry.key);
    // Deleted first, so that the entries are written in the order they were put.
    this.current.dedupEntries.delete(key);
    this.current.dedupEntries.set(key, { ...entry });
  }

  putEngineRecord(kind: EngineRecordKind, key: string, value: string | undefined): void {
    this.engineRecords.set(engineRecordKey(kind, key), { kind, key, value });
  }

  addBulkDelete(bulkDelete: BulkDelete): void {
    const segment = this.current;
    applyToWrites(bulkDelete, segment);
    segment.bulkDelete = bulkDelete;
    this.current = new WriteSegment();
    this.segments.push(this.current);
  }

  /** The payloads this batch inserts that are still there once the whole batch is applied. */
  *insertedPayloads(): Generator<[seq: number, payload: MessagePayload]> {
    for (const segment of this.segments) {
      for (const [seq, write] of segment.messages) {
        if (write.kind !== "insert") continue;
        const payload = this.findPayload(seq);
        if (typeof payload === "object" && payload !== null) yield [seq, payload];
      }
    }
  }

  /**
   * Replays the buffered writes of one message to find its payload: the
   * payload when buffered; `null` when the buffered writes delete it; or, when
   * the payload is the committed row's, the number of leading segments whose
   * bulk deletes still apply to that row (see `bulkDeletes`).
   */
  findPayload(seq: number): MessagePayload | null | number {
    const segments = this.segments;
    let first = 0;
    while (first < segments.length && !segments[first]!.messages.has(seq)) first++;
    if (first === segments.length) return first;

    // `undefined`: still the committed payload.
    let payload: MessagePayload | null | undefined;
    let queueId = 0;
    for (let i = first; i < segments.length; i++) {
      const segment = segments[i]!;
      const write = segment.messages.get(seq);
      if (write?.kind === "insert") {
        payload = write.payload;
        queueId = write.record.queueId;
      } else if (write?.kind === "update") {
        queueId = write.record.queueId;
      } else if (write?.kind === "delete") {
        payload = null;
      }
      const bulkDelete = segment.bulkDelete;
      if (payload !== null && bulkDelete && deletesMessage(bulkDelete, queueId, seq)) {
        payload = null;
      }
    }
    return payload === undefined ? first : payload;
  }

  /** Whether a bulk delete ending one of the first `segmentCount` segments deletes a committed message. */
  bulkDeletes(queueId: number, seq: number, segmentCount: number): boolean {
    for (let i = 0; i < segmentCount; i++) {
      const bulkDelete = this.segments[i]!.bulkDelete;
      if (bulkDelete && deletesMessage(bulkDelete, queueId, seq)) return true;
    }
    return false;
  }
}

const DELETE: MessageWrite = { kind: "delete" };

export function engineRecordKey(kind: EngineRecordKind, key: string): string {
  return `${kind}\u0000${key}`;
}

export function dedupKey(queueId: number, key: string): string {
  return `${queueId}\u0000${key}`;
}

function deletesMessage(bulkDelete: BulkDelete, queueId: number, seq: number): boolean {
  switch (bulkDelete.kind) {
    case "removeQueue":
      return bulkDelete.queueId === queueId;
    case "purgeMessages":
      return bulkDelete.queueId === queueId && seq <= bulkDelete.upToSeq;
    case "pruneDedup":
      return false;
  }
}

/** Drops the writes a bulk delete would undo, so that they are not written at all. */
function applyToWrites(bulkDelete: BulkDelete, segment: WriteSegment): void {
  if (bulkDelete.kind === "pruneDedup") {
    for (const [key, entry] of segment.dedupEntries) {
      if (entry.expiresAt <= bulkDelete.now) segment.dedupEntries.delete(key);
    }
    return;
  }
  for (const [seq, write] of segment.messages) {
    if (write.kind === "delete" || !deletesMessage(bulkDelete, write.record.queueId, seq)) continue;
    if (write.kind === "insert") segment.messages.delete(seq);
    // Deleting by key: cheaper than updating a row that the bulk delete then removes.
    else segment.messages.set(seq, DELETE);
  }
  // Both forget the queue's deduplication ids, as the in-memory cache does.
  if (bulkDelete.kind === "removeQueue") segment.queues.delete(bulkDelete.queueId);
  for (const [key, entry] of segment.dedupEntries) {
    if (entry.queueId === bulkDelete.queueId) segment.dedupEntries.delete(key);
  }
}
