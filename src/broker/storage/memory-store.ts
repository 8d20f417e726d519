import type { MessagePayload } from "../engine/message-types.ts";
import type {
  BrokerStore,
  DedupRecord,
  EngineRecord,
  EngineRecordKind,
  MessageRecord,
  QueueRecord,
  StoredState,
} from "../engine/store.ts";
import { copyMessageRecord, copyQueueRecord } from "./record-copies.ts";
import { engineRecordKey } from "./write-batch.ts";

/**
 * A store that keeps everything in Maps: for tests and `inMemory` brokers.
 * Every write is "committed" at once. `load()` returns what was written, so
 * a test can restart a broker on the same instance.
 */
export class MemoryStore implements BrokerStore {
  private readonly queues = new Map<number, QueueRecord>();
  private readonly messages = new Map<number, StoredMessage>();
  /** Keyed by queue id, then dedup key. */
  private readonly dedup = new Map<number, Map<string, DedupRecord>>();
  private highestSeq = 0;
  /** Keyed by kind, then key. */
  private readonly engineRecords = new Map<string, EngineRecord>();

  load(): StoredState {
    const messages = [...this.messages.values()].map((stored) => copyMessageRecord(stored.record));
    // Seqs arrive in increasing order, so this sort is a linear pass; it is
    // here for the contract, not for the common case.
    messages.sort((a, b) => a.seq - b.seq);
    return {
      queues: [...this.queues.values()].map(copyQueueRecord),
      messages,
      dedupEntries: [...this.dedup.values()].flatMap((entries) =>
        [...entries.values()].map((entry) => ({ ...entry })),
      ),
      highestSeq: this.highestSeq,
      engineRecords: [...this.engineRecords.values()].map((record) => ({ ...record })),
    };
  }

  putQueue(queue: QueueRecord): void {
    this.queues.set(queue.id, copyQueueRecord(queue));
  }

  removeQueue(queueId: number): void {
    this.queues.delete(queueId);
    this.dedup.delete(queueId);
    for (const [seq, stored] of this.messages) {
      if (stored.record.queueId === queueId) this.messages.delete(seq);
    }
  }

  insertMessage(message: MessageRecord, payload: MessagePayload): void {
    this.messages.set(message.seq, { record: copyMessageRecord(message), payload });
    if (message.seq > this.highestSeq) this.highestSeq = message.seq;
  }

  updateMessage(message: MessageRecord): void {
    const stored = this.messages.get(message.seq);
    if (stored !== undefined) stored.record = copyMessageRecord(message);
  }

  /** Nothing here is durable, so nothing is gained by waiting. */
  recordReceive(message: MessageRecord): void {
    this.updateMessage(message);
  }

  deleteMessage(seq: number): void {
    this.messages.delete(seq);
  }

  purgeMessages(queueId: number, upToSeq: number): void {
    this.dedup.delete(queueId);
    for (const [seq, stored] of this.messages) {
      if (stored.record.queueId === queueId && seq <= upToSeq) this.messages.delete(seq);
    }
  }

  readPayload(seq: number): MessagePayload | undefined {
    return this.messages.get(seq)?.payload;
  }

  putDedupEntry(entry: DedupRecord): void {
    let entries = this.dedup.get(entry.queueId);
    if (entries === undefined) {
      entries = new Map();
      this.dedup.set(entry.queueId, entries);
    }
    entries.set(entry.key, { ...entry });
  }

  pruneDedupEntries(now: number): void {
    for (const entries of this.dedup.values()) {
      for (const [key, entry] of entries) {
        if (entry.expiresAt <= now) entries.delete(key);
      }
    }
  }

  putEngineRecord(kind: EngineRecordKind, key: string, value: string | undefined): void {
    const id = engineRecordKey(kind, key);
    if (value === undefined) this.engineRecords.delete(id);
    else this.engineRecords.set(id, { kind, key, value });
  }

  whenCommitted(callback: (error?: Error) => void): void {
    callback();
  }

  /** Nothing waits for a commit here, but the work still waits for the turn's other requests. */
  beforeCommit(work: () => void): void {
    setImmediate(work);
  }

  close(): void {
    // Nothing to release: the data stays readable for a "restart" on this instance.
  }
}

interface StoredMessage {
  record: MessageRecord;
  payload: MessagePayload;
}
