/** How long a FIFO ReceiveRequestAttemptId is remembered. */
const ATTEMPT_WINDOW_MS = 5 * 60 * 1000;

/**
 * [seq, receiveCount, visibleAt] of a message an attempt returned, as the
 * attempt left it: a message whose count or visibility no longer match was
 * received again, deleted or had its visibility changed since. Records
 * stored before visibleAt was kept have no third element.
 */
export type AttemptMessage = [seq: number, receiveCount: number, visibleAt?: number];

export interface Attempt {
  messages: AttemptMessage[];
  expiresAt: number;
}

/**
 * FIFO ReceiveRequestAttemptId: a retried receive with the same id returns
 * the same messages (and receipt handles) while they are still in flight
 * from that receive and none was deleted or had its visibility changed. One per FIFO queue, in memory; receive-attempt-records.ts
 * keeps them in the store too, so that a retry after a restart still works.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
export class ReceiveAttempts {
  private readonly attempts = new Map<string, Attempt>();

  /** The attempt, unless it expired at `now` (the expiry sweeper forgets it later). */
  find(id: string, now: number): Attempt | undefined {
    const attempt = this.attempts.get(id);
    return attempt && attempt.expiresAt > now ? attempt : undefined;
  }

  /** Remembers the attempt for five minutes from `now`; returns what was remembered. */
  remember(id: string, messages: AttemptMessage[], now: number): Attempt {
    return this.restore(id, { messages, expiresAt: now + ATTEMPT_WINDOW_MS });
  }

  /** Puts back an attempt remembered before a restart. */
  restore(id: string, attempt: Attempt): Attempt {
    // Deleted first, so that the map stays in expiry order for `prune`.
    this.attempts.delete(id);
    this.attempts.set(id, attempt);
    return attempt;
  }

  forget(id: string): void {
    this.attempts.delete(id);
  }

  /** Forgets at most `max` of the attempts expired at `now`, oldest first; returns their ids. */
  prune(now: number, max: number): string[] {
    const expired: string[] = [];
    for (const [id, attempt] of this.attempts) {
      if (attempt.expiresAt > now || expired.length >= max) break;
      this.attempts.delete(id);
      expired.push(id);
    }
    return expired;
  }

  /** Expiry of the oldest attempt, or undefined when there is none. */
  nextExpiry(): number | undefined {
    for (const attempt of this.attempts.values()) return attempt.expiresAt;
    return undefined;
  }

  /** Forgets every attempt (the queue is deleted); returns their ids. */
  forgetAll(): string[] {
    const ids = [...this.attempts.keys()];
    this.attempts.clear();
    return ids;
  }
}
