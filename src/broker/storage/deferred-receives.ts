import type { MessageRecord } from "../engine/store.ts";

interface DeferredReceive {
  /** The engine's live message, copied only when written (WriteBatch copies). */
  record: MessageRecord;
  /** `performance.now()` after which the record must be written. */
  dueAt: number;
}

/**
 * Receives whose new delivery state (visibility deadline, receive count)
 * waits up to `delayMs` before it is written (see BrokerStore.recordReceive).
 * Most received messages are deleted within milliseconds; their receive then
 * never reaches the disk at all: `bench/paired.ts --scenario drain` measured
 * 59 µs of server CPU per request when every receive was written, 52 µs now.
 *
 * Entries hold the engine's live message, not a copy: what is written when
 * one falls due is the message's state then, which is the state to keep
 * (any write in between forgets the entry anyway), and a drain no longer
 * copies every received message for nothing.
 *
 * Entries are kept in the order they fell due: each is due `delayMs` after it
 * was added on a monotonic clock, and a receive of the same message again
 * moves it to the end.
 */
export class DeferredReceives {
  private readonly pending = new Map<number, DeferredReceive>();

  constructor(private readonly delayMs: number) {}

  /** When the oldest entry falls due, if there is one. */
  get nextDueAt(): number | undefined {
    for (const entry of this.pending.values()) return entry.dueAt;
    return undefined;
  }

  add(message: MessageRecord, now: number): void {
    // Deleted first, so that the entry moves to the end, in due order.
    this.pending.delete(message.seq);
    this.pending.set(message.seq, {
      record: message,
      dueAt: now + this.delayMs,
    });
  }

  /** Drops a waiting receive: a later write of its message supersedes it. */
  forget(seq: number): void {
    this.pending.delete(seq);
  }

  /** Removes and yields the records due at `now` (all of them when `now` is Infinity). */
  *takeDue(now: number): Generator<MessageRecord> {
    for (const [seq, entry] of this.pending) {
      if (entry.dueAt > now) return;
      this.pending.delete(seq);
      yield entry.record;
    }
  }
}
