/**
 * At most `size` holders at once: `acquire` waits for a free slot and
 * returns the function that frees it, or `undefined` if `signal` aborts the
 * wait first. Waiters are served in arrival order.
 */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  /** How many holders are waiting for a slot. */
  get waiters(): number {
    return this.waiting.length;
  }

  async acquire(signal?: AbortSignal): Promise<(() => void) | undefined> {
    if (signal?.aborted) return undefined;
    if (this.free > 0) this.free -= 1;
    else {
      const got = await new Promise<boolean>((resolve) => {
        const served = () => {
          signal?.removeEventListener("abort", aborted);
          resolve(true);
        };
        const aborted = () => {
          // No longer waiting: a slot freed later goes to the next waiter.
          const index = this.waiting.indexOf(served);
          if (index !== -1) this.waiting.splice(index, 1);
          resolve(false);
        };
        this.waiting.push(served);
        signal?.addEventListener("abort", aborted, { once: true });
      });
      if (!got) return undefined;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }
}
