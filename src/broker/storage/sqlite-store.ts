import { dirname } from "node:path";
import type { Database } from "better-sqlite3";
import type { MessagePayload } from "../engine/message-types.ts";
import type {
  BrokerStore,
  DedupRecord,
  EngineRecordKind,
  MessageRecord,
  QueueRecord,
  StoredState,
} from "../engine/store.ts";
import { asDataDirError } from "./data-dir-error.ts";
import { DeferredReceives } from "./deferred-receives.ts";
import { PayloadCache } from "./payload-cache.ts";
import { openSqliteDatabase } from "./sqlite-database.ts";
import { toPayload } from "./sqlite-rows.ts";
import type { PayloadRow } from "./sqlite-rows.ts";
import { SqliteStatements } from "./sqlite-statements.ts";
import { WalCheckpointer } from "./wal-checkpointer.ts";
import { WriteBatch } from "./write-batch.ts";

export interface SqliteStoreOptions {
  /** Path of the database file. Its folder is created when missing. */
  file: string;
  /**
   * Sync every commit to disk (`synchronous=FULL`), so that commits survive
   * power loss too. Default false (`synchronous=NORMAL`): commits survive the
   * process being killed, and cost no fsync each.
   */
  fsync?: boolean;
  /**
   * Bytes of recently sent payloads kept in memory, so that receiving them
   * reads nothing back (see PayloadCache). Default 64 MiB; 0 reads every
   * payload from the database.
   */
  payloadCacheBytes?: number;
  /**
   * Longest wait, in ms, before a receive recorded with `recordReceive` is
   * written. Default 1,000; 0 writes it in the receive's own commit, before
   * the receive is answered.
   */
  receiveWriteDelayMs?: number;
  /**
   * Told if the checkpoint thread fails (the store goes on: its own
   * connection checkpoints instead, in its commits, as SQLite does by default).
   */
  onCheckpointerFailure?: (error: Error) => void;
  /**
   * Told when a message's stored body cannot be read (a damaged page of the
   * database file); the message is then set aside (see readPayload).
   */
  onUnreadablePayload?: (seq: number, error: Error) => void;
}

export const DEFAULT_PAYLOAD_CACHE_BYTES = 64 << 20;
export const DEFAULT_RECEIVE_WRITE_DELAY_MS = 1000;

/**
 * The durable store: one SQLite database in WAL mode, written by group
 * commit. Writes are buffered (merged per message) and the first write of an
 * event-loop turn schedules, with `setImmediate`, one transaction for all of
 * that turn's writes; `whenCommitted` callbacks run after it commits, or get
 * its error when it fails, and `beforeCommit` work runs just before it. One
 * commit per turn instead of per request is what lets a single connection
 * keep up with tens of thousands of sends a second. Receives from standard
 * queues wait up to `receiveWriteDelayMs` outside the batch (see
 * DeferredReceives), so that a prompt delete leaves nothing to write.
 */
export class SqliteStore implements BrokerStore {
  private readonly db: Database;
  private readonly lock: Database;
  private readonly checkpointer: WalCheckpointer;
  private readonly statements: SqliteStatements;
  private readonly payloads: PayloadCache;
  private readonly onUnreadablePayload: SqliteStoreOptions["onUnreadablePayload"];
  /** Messages whose body is on a damaged page: set aside, never deleted (see readCommittedPayload). */
  private readonly unreadable = new Set<number>();
  /** Undefined when receives are written at once (`receiveWriteDelayMs` 0). */
  private readonly receives: DeferredReceives | undefined;
  private receiveTimer: NodeJS.Timeout | undefined;
  private batch = new WriteBatch();
  private callbacks: Array<(error?: Error) => void> = [];
  private beforeCommitWork: Array<() => void> = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  /**
   * Set by the first commit that fails, for good. The engine's memory then
   * holds changes the database does not, so nothing more is written (a later
   * batch could depend on the lost one) and every caller gets this error:
   * a retried request must not be acknowledged from memory alone. A restart
   * serves what was committed.
   */
  private failure: Error | undefined;

  constructor(options: SqliteStoreOptions) {
    ({ db: this.db, lock: this.lock } = openSqliteDatabase(options.file, options.fsync ?? false));
    try {
      this.statements = new SqliteStatements(this.db);
      this.checkpointer = new WalCheckpointer(this.db, {
        onFailure: options.onCheckpointerFailure,
      });
    } catch (error) {
      // Nothing else holds them: a second try in this process must find the folder free.
      this.db.close();
      this.lock.close();
      // A damaged page can pass the open and fail the first read.
      throw asDataDirError(dirname(options.file), error);
    }
    this.payloads = new PayloadCache(options.payloadCacheBytes ?? DEFAULT_PAYLOAD_CACHE_BYTES);
    this.onUnreadablePayload = options.onUnreadablePayload;
    const receiveDelayMs = options.receiveWriteDelayMs ?? DEFAULT_RECEIVE_WRITE_DELAY_MS;
    if (receiveDelayMs > 0) this.receives = new DeferredReceives(receiveDelayMs);
  }

  /** Commits what is pending first. The messages are read when iterated, a chunk at a time. */
  load(): StoredState {
    this.writeDueReceives(Infinity);
    this.commitNow();
    return {
      queues: this.statements.queues(),
      messages: this.statements.messages(),
      dedupEntries: this.statements.dedupEntries(),
      highestSeq: this.statements.highestSeq(),
      engineRecords: this.statements.engineRecords(),
    };
  }

  putQueue(queue: QueueRecord): void {
    this.batch.putQueue(queue);
    this.schedule();
  }

  removeQueue(queueId: number): void {
    this.payloads.clear();
    this.batch.addBulkDelete({ kind: "removeQueue", queueId });
    this.schedule();
  }

  insertMessage(message: MessageRecord, payload: MessagePayload): void {
    this.batch.insertMessage(message, payload);
    this.schedule();
  }

  updateMessage(message: MessageRecord): void {
    this.receives?.forget(message.seq);
    this.batch.updateMessage(message);
    this.schedule();
  }

  recordReceive(message: MessageRecord): void {
    if (this.receives === undefined) {
      this.updateMessage(message);
      return;
    }
    this.receives.add(message, performance.now());
    this.receiveTimer ??= this.armReceiveTimer();
  }

  deleteMessage(seq: number): void {
    // Left in the file: deleting its row walks its damaged pages, and the
    // commit's failure would stop the whole broker.
    if (this.unreadable.has(seq)) return;
    this.receives?.forget(seq);
    this.payloads.forget(seq);
    this.batch.deleteMessage(seq);
    this.schedule();
  }

  purgeMessages(queueId: number, upToSeq: number): void {
    this.payloads.clear();
    this.batch.addBulkDelete({ kind: "purgeMessages", queueId, upToSeq });
    this.schedule();
  }

  readPayload(seq: number): MessagePayload | undefined {
    const buffered = this.batch.findPayload(seq);
    if (typeof buffered !== "number") return buffered ?? undefined;
    const cached = this.payloads.get(seq);
    if (cached !== undefined) return cached;
    const row = this.readCommittedPayload(seq);
    if (row === undefined || this.batch.bulkDeletes(row[0], seq, buffered)) return undefined;
    return toPayload(row);
  }

  /**
   * A damaged page under one message's body must not take down every receive
   * of its queue: the message reads as gone, so the engine stops offering it
   * (its row stays in the file, for a restart after a repair: deleteMessage
   * leaves it), and the receive goes on with the others. Any other failure
   * is the caller's.
   */
  private readCommittedPayload(seq: number): PayloadRow | undefined {
    try {
      return this.statements.readPayloadRow(seq);
    } catch (error) {
      if (!isDamagedDatabase(error)) throw error;
      this.unreadable.add(seq);
      this.onUnreadablePayload?.(seq, error as Error);
      return undefined;
    }
  }

  putDedupEntry(entry: DedupRecord): void {
    this.batch.putDedupEntry(entry);
    this.schedule();
  }

  pruneDedupEntries(now: number): void {
    this.batch.addBulkDelete({ kind: "pruneDedup", now });
    this.schedule();
  }

  putEngineRecord(kind: EngineRecordKind, key: string, value: string | undefined): void {
    this.batch.putEngineRecord(kind, key, value);
    this.schedule();
  }

  whenCommitted(callback: (error?: Error) => void): void {
    if (this.failure !== undefined) callback(this.failure);
    else if (this.scheduled === undefined) callback();
    else this.callbacks.push(callback);
  }

  beforeCommit(work: () => void): void {
    this.beforeCommitWork.push(work);
    this.schedule();
  }

  /** Commits what is pending (its callbacks run before this returns), then closes the database. */
  close(): void {
    if (this.closed) return;
    try {
      clearTimeout(this.receiveTimer);
      this.writeDueReceives(Infinity);
      this.commitNow();
    } finally {
      // Even when a callback throws: the database must not stay locked.
      this.checkpointer.close();
      this.db.close();
      this.lock.close();
      this.payloads.clear();
      this.closed = true;
    }
  }

  /** A timer for when the oldest deferred receive falls due, or undefined if none waits. */
  private armReceiveTimer(): NodeJS.Timeout | undefined {
    const dueAt = this.receives?.nextDueAt;
    if (dueAt === undefined) return undefined;
    const timer = setTimeout(this.receivesDue, Math.max(0, dueAt - performance.now()));
    // A broker that is done must not stay up for it: close() writes what waits.
    timer.unref();
    return timer;
  }

  private readonly receivesDue = (): void => {
    this.writeDueReceives(performance.now());
    this.receiveTimer = this.armReceiveTimer();
  };

  /**
   * Moves the deferred receives due by `now` into the pending batch. Purges
   * and queue deletions do not forget them: writing one afterwards updates a
   * row that is gone, which changes nothing.
   */
  private writeDueReceives(now: number): void {
    if (this.receives === undefined) return;
    let written = false;
    for (const record of this.receives.takeDue(now)) {
      this.batch.updateMessage(record);
      written = true;
    }
    if (written) this.schedule();
  }

  private schedule(): void {
    this.scheduled ??= setImmediate(this.commitScheduled);
  }

  private readonly commitScheduled = (): void => {
    this.commit();
  };

  private commitNow(): void {
    if (this.scheduled === undefined) return;
    clearImmediate(this.scheduled);
    this.commit();
  }

  /**
   * Runs the turn's beforeCommit work, then commits. The work runs while the
   * commit still counts as scheduled, so that what it writes joins this
   * commit instead of scheduling another one a turn later.
   */
  private commit(): void {
    const failure = this.runBeforeCommitWork();
    this.scheduled = undefined;
    this.commitBatch();
    // Thrown once the turn's writes are committed, as it would have been where the work came from.
    if (failure) throw failure.error;
  }

  /** Runs the work queued for this commit (and work it queues in turn); returns the first error. */
  private runBeforeCommitWork(): { error: unknown } | undefined {
    let failure: { error: unknown } | undefined;
    const work = this.beforeCommitWork;
    for (let i = 0; i < work.length; i++) {
      try {
        work[i]!();
      } catch (thrown) {
        failure ??= { error: thrown };
      }
    }
    this.beforeCommitWork = [];
    return failure;
  }

  /**
   * A damaged page under a message that PurgeQueue or DeleteQueue deletes
   * fails the transaction (deleting a row walks its pages). Rather than stop
   * the broker, the messages those deletes remove are read, which sets the
   * damaged ones aside (see readCommittedPayload), and the batch is written
   * once more without them. Damage anywhere else still fails the commit.
   */
  private writeBatch(batch: WriteBatch): void {
    try {
      this.statements.writeBatch(batch, this.unreadable);
    } catch (error) {
      if (!isDamagedDatabase(error) || !this.setAsideDamagedBulkDeletes(batch)) throw error;
      this.statements.writeBatch(batch, this.unreadable);
    }
  }

  /** Whether reading the committed messages the batch's bulk deletes remove found damaged ones. */
  private setAsideDamagedBulkDeletes(batch: WriteBatch): boolean {
    const before = this.unreadable.size;
    try {
      for (const { bulkDelete } of batch.segments) {
        if (bulkDelete === undefined) continue;
        for (const seq of this.statements.seqsDeletedBy(bulkDelete)) {
          if (!this.unreadable.has(seq)) this.readCommittedPayload(seq);
        }
      }
    } catch {
      // The damage is under the rows' index, not one message: nothing to set aside.
      return false;
    }
    return this.unreadable.size > before;
  }

  private commitBatch(): void {
    const batch = this.batch;
    const callbacks = this.callbacks;
    // Swapped first: callbacks may write again, into the next batch.
    this.batch = new WriteBatch();
    this.callbacks = [];
    let error = this.closed ? new Error("The store is closed") : this.failure;
    if (error === undefined && !batch.isEmpty) {
      try {
        this.writeBatch(batch);
        this.checkpointer.committed();
        // Only once committed: until then the batch itself answers reads,
        // and a failed commit must leave nothing behind.
        for (const [seq, payload] of batch.insertedPayloads()) this.payloads.admit(seq, payload);
      } catch (thrown) {
        // Thrown out of setImmediate it would crash the process; the callers
        // waiting for this commit are the ones who can answer for it.
        const cause = thrown instanceof Error ? thrown.message : String(thrown);
        error = new Error(
          `a write to the database failed (${cause}); nothing is served until the broker is restarted, which serves what was stored before`,
        );
        this.failure = error;
      }
    }
    notifyAll(callbacks, error);
  }
}

/** Calls every callback even if one throws; rethrows the first such error afterwards. */
function notifyAll(callbacks: Array<(error?: Error) => void>, error: Error | undefined): void {
  let failure: { error: unknown } | undefined;
  for (const callback of callbacks) {
    try {
      callback(error);
    } catch (thrown) {
      failure ??= { error: thrown };
    }
  }
  if (failure) throw failure.error;
}

/** SQLite found the file's structure damaged where it read (SQLITE_CORRUPT and its kinds). */
function isDamagedDatabase(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_CORRUPT");
}
