/**
 * Requests a bucket or folder source is holding back for a retry delay. A
 * bucket has no visibility timeout, so the request is kept in memory and put
 * back when its delay is over; on close, everything held is put back at once
 * so a stopped consumer loses nothing.
 */
export class HeldRetries {
  private readonly held = new Map<NodeJS.Timeout, () => Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly onError: (error: unknown) => void) {}

  hold(delaySeconds: number, putBack: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.held.delete(timer);
      this.track(putBack());
    }, delaySeconds * 1000);
    this.held.set(timer, putBack);
  }

  /** Puts every held request back now and waits until all are back. */
  async releaseAll(): Promise<void> {
    for (const [timer, putBack] of this.held) {
      clearTimeout(timer);
      this.track(putBack());
    }
    this.held.clear();
    await Promise.all(this.inFlight);
  }

  private track(putBack: Promise<void>): void {
    const tracked = putBack.catch(this.onError).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}
