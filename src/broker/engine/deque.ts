/**
 * A double-ended queue on a power-of-two ring buffer: O(1) at both ends and
 * no array shifting, so taking the head of a 100,000-deep queue costs the
 * same as taking it from a shallow one.
 */
export class Deque<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) & (this.items.length - 1)] = item;
    this.count++;
  }

  unshift(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.head = (this.head - 1) & (this.items.length - 1);
    this.items[this.head] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) & (this.items.length - 1);
    this.count--;
    return item;
  }

  peek(): T | undefined {
    return this.count === 0 ? undefined : this.items[this.head];
  }

  /** The item `index` places from the front (0 is the front). */
  at(index: number): T | undefined {
    return index < this.count
      ? this.items[(this.head + index) & (this.items.length - 1)]
      : undefined;
  }

  /** Exchanges two items by their places from the front. */
  swap(a: number, b: number): void {
    const mask = this.items.length - 1;
    const i = (this.head + a) & mask;
    const j = (this.head + b) & mask;
    const item = this.items[i];
    this.items[i] = this.items[j];
    this.items[j] = item;
  }

  clear(): void {
    this.items = new Array<T | undefined>(16);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const bigger = new Array<T | undefined>(this.items.length * 2);
    for (let i = 0; i < this.count; i++) {
      bigger[i] = this.items[(this.head + i) & (this.items.length - 1)];
    }
    this.items = bigger;
    this.head = 0;
  }
}
