import type { Clock, Timer } from "./clock.ts";
import { FifoQueue } from "./fifo-queue.ts";
import type { QueueRegistry } from "./queue-registry.ts";
import { pruneAttempts } from "./receive-attempt-records.ts";
import type { BrokerStore } from "./store.ts";

/**
 * Most expired receive attempts one sweep forgets (each a store write); more
 * are left to a sweep in the next turn, so a burst of attempts that expire
 * together does not hold the event loop.
 */
const ATTEMPTS_PER_SWEEP = 1_000;

/**
 * Enforces retention and forgets old deduplication ids and FIFO receive
 * attempts. One timer, set for the earliest expiry anywhere; a sweep only
 * looks at each queue's oldest messages, which are the first in its
 * send-ordered map, and likewise its oldest ids and attempts.
 */
export class ExpirySweeper {
  private timer: Timer | undefined;
  private timerAt = Infinity;

  constructor(
    private readonly queues: QueueRegistry,
    private readonly store: BrokerStore,
    private readonly clock: Clock,
  ) {}

  /** Makes sure a sweep runs no later than `at`. */
  expiresAt(at: number): void {
    if (at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.clock.setTimer(at - this.clock.now(), () => this.sweep());
  }

  sweep(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    let next = Infinity;
    let attemptsLeft = ATTEMPTS_PER_SWEEP;
    for (const queue of this.queues.values()) {
      const retention = queue.settings.retentionMs;
      for (
        let oldest = queue.oldest();
        oldest && oldest.sentAt + retention <= now;
        oldest = queue.oldest()
      ) {
        queue.remove(oldest);
        this.store.deleteMessage(oldest.seq);
      }
      const oldest = queue.oldest();
      if (oldest) next = Math.min(next, oldest.sentAt + retention);
      if (queue instanceof FifoQueue) {
        queue.dedup.prune(now);
        next = Math.min(next, queue.dedup.nextExpiry() ?? Infinity);
        attemptsLeft -= pruneAttempts(this.store, queue, now, attemptsLeft);
        // At or before `now` when expired attempts are left: the next turn's sweep.
        next = Math.min(next, queue.attempts.nextExpiry() ?? Infinity);
      }
    }
    this.store.pruneDedupEntries(now);
    if (next !== Infinity) this.expiresAt(next);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}
