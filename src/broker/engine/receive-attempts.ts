/** How long a FIFO ReceiveRequestAttemptId is remembered. */
const ATTEMPT_WINDOW_MS = 5 * 60 * 1000;

export interface Attempt {
  /** [seq, receiveCount] of each message the attempt returned. */
  messages: Array<[number, number]>;
  expiresAt: number;
}

/**
 * FIFO ReceiveRequestAttemptId: a retried receive with the same id returns
 * the same messages (and receipt handles) while they are still in flight
 * from that receive. One per FIFO queue, in memory; receive-attempt-records.ts
 * keeps them in the store too, so that a retry after a restart still works.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
export class ReceiveAttempts {
  private readonly attempts = new Map<string, Attempt>();

  get(id: string): Attempt | undefined {
    return this.attempts.get(id);
  }

  /** Remembers the attempt for five minutes from `now`; returns what was remembered. */
  remember(id: string, messages: Array<[number, number]>, now: number): Attempt {
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

  /** Forgets the attempts expired at `now`; returns their ids. */
  prune(now: number): string[] {
    const expired: string[] = [];
    for (const [id, attempt] of this.attempts) {
      if (attempt.expiresAt > now) break;
      this.attempts.delete(id);
      expired.push(id);
    }
    return expired;
  }
}
