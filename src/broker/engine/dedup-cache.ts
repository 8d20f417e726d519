import type { DedupRecord } from "./store.ts";

/** How long SQS remembers a FIFO deduplication id. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

/**
 * The deduplication ids a FIFO queue saw in the last five minutes. Entries
 * are kept in insertion order, which is expiry order, so pruning only ever
 * looks at the oldest ones. An entry outlives the message it names: a
 * duplicate sent after the original was deleted is still dropped.
 */
export class DedupCache {
  private readonly entries = new Map<string, DedupRecord>();

  find(key: string, now: number): DedupRecord | undefined {
    const entry = this.entries.get(key);
    return entry && entry.expiresAt > now ? entry : undefined;
  }

  remember(entry: DedupRecord): void {
    // Re-inserting moves the key to the end, keeping the map in expiry order.
    this.entries.delete(entry.key);
    this.entries.set(entry.key, entry);
  }

  prune(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }

  /** Expiry of the oldest entry, or undefined when empty. */
  nextExpiry(): number | undefined {
    for (const entry of this.entries.values()) return entry.expiresAt;
    return undefined;
  }

  clear(): void {
    this.entries.clear();
  }
}
