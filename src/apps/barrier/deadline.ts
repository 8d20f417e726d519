/**
 * A point in time a wait must not pass. Every wait in the barrier has one, so
 * a dead coordinator or participant turns into an error instead of a hang.
 */
export class Deadline {
  readonly at: number;

  constructor(
    readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.at = now() + timeoutMs;
  }

  remainingMs(): number {
    return Math.max(0, this.at - this.now());
  }

  expired(): boolean {
    return this.remainingMs() === 0;
  }
}

/** A timeout as people read it in an error: `30 s`, `2.5 s`. */
export function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
