/** How long a FIFO ReceiveRequestAttemptId is remembered. */
const ATTEMPT_WINDOW_MS = 5 * 60 * 1000;

interface Attempt {
  /** [seq, receiveCount] of each message the attempt returned. */
  messages: Array<[number, number]>;
  expiresAt: number;
}

/**
 * FIFO ReceiveRequestAttemptId: a retried receive with the same id returns
 * the same messages (and receipt handles) while they are still in flight
 * from that receive.
 * https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
export class ReceiveAttempts {
  private readonly attempts = new Map<string, Attempt>();

  find(id: string, now: number): Attempt | undefined {
    this.prune(now);
    return this.attempts.get(id);
  }

  remember(id: string, messages: Array<[number, number]>, now: number): void {
    this.attempts.delete(id);
    this.attempts.set(id, { messages, expiresAt: now + ATTEMPT_WINDOW_MS });
  }

  forget(id: string): void {
    this.attempts.delete(id);
  }

  private prune(now: number): void {
    for (const [id, attempt] of this.attempts) {
      if (attempt.expiresAt > now) break;
      this.attempts.delete(id);
    }
  }
}
