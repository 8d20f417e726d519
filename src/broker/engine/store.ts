import type { MessagePayload } from "./message-types.ts";

/**
 * The durable store behind the engine. The engine keeps the authoritative
 * state in memory (slim per-message metadata, see message-state.ts) and
 * writes through to a store; the store keeps payloads (bodies, attributes),
 * which the engine reads back only when it delivers a message.
 *
 * Writes are buffered and made durable together: `whenCommitted` calls back
 * once every write issued so far is committed, which is when the broker
 * answers the request that caused them. A store may merge writes to the same
 * message that fall into one commit (an insert followed by a delete writes
 * nothing at all).
 *
 * Contract tests: test/broker/storage/store-contract.ts, run against every store.
 */
export interface BrokerStore {
  /** Everything needed to rebuild the engine after a restart. */
  load(): StoredState;

  putQueue(queue: QueueRecord): void;
  /** Removes the queue, its messages and its dedup entries. */
  removeQueue(queueId: number): void;

  insertMessage(message: MessageRecord, payload: MessagePayload): void;
  /** Records new delivery state (visibility, receive count, owning queue after a dead-letter move). */
  updateMessage(message: MessageRecord): void;
  /**
   * Records a receive from a standard queue: like `updateMessage`, except
   * that the store may make it durable a little later (the SQLite store's
   * `receiveWriteDelayMs`, 1 s by default) instead of before the receive is
   * answered, and drops it when the message is deleted or written again
   * first. A crash in between brings the message back early with its earlier
   * receive count: a repeat delivery, which a standard queue's at-least-once
   * promise allows. Sends, deletes, visibility changes, moves and FIFO
   * receives all use `updateMessage` and the other writes, which are durable
   * before their answer.
   */
  recordReceive(message: MessageRecord): void;
  deleteMessage(seq: number): void;
  /**
   * Deletes every message of the queue with `seq <= upToSeq`, and every
   * deduplication id it remembers (PurgeQueue clears a FIFO queue's cache).
   */
  purgeMessages(queueId: number, upToSeq: number): void;
  /** The payload of a live message, including one written but not yet committed. */
  readPayload(seq: number): MessagePayload | undefined;

  /**
   * Remembers a deduplication id; a later put of the same queue and key
   * replaces it. The engine puts a key again only after its entry expired,
   * so the replacement always expires later (a store may rely on this).
   */
  putDedupEntry(entry: DedupRecord): void;
  /** Forgets dedup entries that expired at or before `now`. */
  pruneDedupEntries(now: number): void;

  /**
   * Keeps a small piece of engine state that is neither a queue nor a
   * message (a move task, a recently deleted queue name) as JSON text, keyed
   * by kind and key; a later put of the same kind and key replaces it, and
   * `undefined` forgets it.
   */
  putEngineRecord(kind: EngineRecordKind, key: string, value: string | undefined): void;

  /** Calls back once all writes issued so far are durable (at once if none are pending). */
  whenCommitted(callback: (error?: Error) => void): void;
  /**
   * Runs `work` at the end of the current event-loop turn, after the
   * requests of the turn were handled and before their writes are committed,
   * so that what `work` writes is committed with them. Used to answer long
   * polls once per turn, with everything the turn's requests made visible.
   */
  beforeCommit(work: () => void): void;
  /** Commits what is pending and releases the store. */
  close(): void;
}

export interface StoredState {
  queues: QueueRecord[];
  /** Messages in ascending `seq` order. */
  messages: Iterable<MessageRecord>;
  dedupEntries: DedupRecord[];
  /**
   * At or above every seq ever inserted, even of messages long gone (0 if
   * none): a restarted engine continues above it, so that sequence numbers
   * and receipt handles are never reused. A store may round it up (the
   * SQLite store leases seqs ahead so as not to write it in every commit).
   */
  highestSeq: number;
  /** Every engine record, in no particular order. */
  engineRecords: EngineRecord[];
}

/** What an engine record holds: see `putEngineRecord`. */
export type EngineRecordKind = "move-task" | "deleted-queue-name" | "receive-attempt";

export interface EngineRecord {
  kind: EngineRecordKind;
  key: string;
  /** JSON text, read back by the part of the engine that wrote it. */
  value: string;
}

export interface QueueRecord {
  id: number;
  name: string;
  /** Settable attributes as SQS spells them, only those explicitly set (defaults are the engine's). */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** Epoch ms. */
  createdAt: number;
  lastModifiedAt: number;
  /** Epoch ms of the last PurgeQueue, 0 if never. */
  lastPurgedAt: number;
}

/** A message's delivery state: small, and rewritten on every receive. */
export interface MessageRecord {
  /** Unique across the broker and increasing in send order; also the FIFO sequence number. */
  seq: number;
  queueId: number;
  /** Epoch ms when the message entered its current queue (SentTimestamp; retention counts from here). */
  sentAt: number;
  /** Epoch ms from which the message may be delivered (after its delay or visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  /** Epoch ms of the first receive, 0 if never received. */
  firstReceivedAt: number;
  /** Epoch ms of the latest receive, 0 if never received; the 12-hour visibility cap counts from here. */
  lastReceivedAt: number;
  /** FIFO message group, or the tenant of a fair standard queue. */
  groupId?: string;
  /** ARN of the queue a dead-lettered message came from (DeadLetterQueueSourceArn); set by the move. */
  deadLetterSourceArn?: string;
}

export interface DedupRecord {
  queueId: number;
  /** Deduplication id, prefixed by the group when the queue's scope is messageGroup. */
  key: string;
  messageId: string;
  seq: number;
  /** Epoch ms after which the id may be used again. */
  expiresAt: number;
}
