/**
 * A Map that keeps at most `maxEntries`, dropping the oldest entry to make
 * room: for values derived from what clients send, so a client sending
 * endless variants costs a miss each, never memory.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries: number) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }
}
