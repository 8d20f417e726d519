/** Seqs per chunk: a power of two, so that a chunk's key and slot are a division and a remainder. */
const CHUNK_SIZE = 64;

interface Chunk<T> {
  items: Array<T | undefined>;
  count: number;
}

/**
 * Items by seq, kept in chunks of 64 consecutive seqs: a queue's live
 * messages. A `Map` from seq to message kept one hash-table entry per
 * message; in a queue 500,000 deep that is a table far larger than the CPU's
 * caches, which every send wrote into at a random place, and one huge
 * old-generation object that the garbage collector must track every young
 * message stored in. Chunks are small arrays that sends fill one after
 * another. Against the Map (bench/paired.ts, docs/benchmarks.md): batch
 * sends 0.94x the server CPU a request, the shallow drain 0.90-0.97x, and a
 * million queued messages 426 MiB of RSS instead of 453-472. The price is
 * paid by queues that share the seq space with many others sent to at the
 * same time: a chunk takes its 64 slots (about half a KiB) however few of
 * them are the queue's.
 *
 * Iteration goes chunk by chunk in the order chunks were first used, and by
 * seq within a chunk. Seqs are handed out in increasing order, so that is
 * send order, which retention relies on (`first` is the next to expire); a
 * message moved in from another queue keeps its older seq, and goes where
 * that seq's chunk is, or at the end when the chunk is new.
 */
export class SeqIndex<T> {
  private readonly chunks = new Map<number, Chunk<T>>();
  private count = 0;
  /**
   * The chunk written last and the chunk read last, with their keys: sends
   * fill the newest chunk while receives and deletes work through the
   * oldest, so each mostly stays in its own chunk.
   */
  private writeKey = -1;
  private writeChunk: Chunk<T> | undefined;
  private readKey = -1;
  private readChunk: Chunk<T> | undefined;

  get size(): number {
    return this.count;
  }

  get(seq: number): T | undefined {
    return this.readChunkOf(Math.floor(seq / CHUNK_SIZE))?.items[seq % CHUNK_SIZE];
  }

  set(seq: number, item: T): void {
    const key = Math.floor(seq / CHUNK_SIZE);
    let chunk = key === this.writeKey ? this.writeChunk : this.chunks.get(key);
    if (chunk === undefined) {
      chunk = { items: new Array<T | undefined>(CHUNK_SIZE), count: 0 };
      this.chunks.set(key, chunk);
    }
    this.writeKey = key;
    this.writeChunk = chunk;
    const slot = seq % CHUNK_SIZE;
    if (chunk.items[slot] === undefined) {
      chunk.count++;
      this.count++;
    }
    chunk.items[slot] = item;
  }

  delete(seq: number): boolean {
    const key = Math.floor(seq / CHUNK_SIZE);
    const chunk = this.readChunkOf(key);
    const slot = seq % CHUNK_SIZE;
    if (chunk === undefined || chunk.items[slot] === undefined) return false;
    chunk.items[slot] = undefined;
    chunk.count--;
    this.count--;
    if (chunk.count === 0) {
      this.chunks.delete(key);
      this.forgetCached();
    }
    return true;
  }

  /** The first item in iteration order (see the class comment). */
  first(): T | undefined {
    for (const chunk of this.chunks.values()) {
      for (const item of chunk.items) if (item !== undefined) return item;
    }
    return undefined;
  }

  *values(): IterableIterator<T> {
    for (const chunk of this.chunks.values()) {
      for (const item of chunk.items) if (item !== undefined) yield item;
    }
  }

  clear(): void {
    this.chunks.clear();
    this.count = 0;
    this.forgetCached();
  }

  private readChunkOf(key: number): Chunk<T> | undefined {
    if (key === this.readKey) return this.readChunk;
    const chunk = this.chunks.get(key);
    if (chunk !== undefined) {
      this.readKey = key;
      this.readChunk = chunk;
    }
    return chunk;
  }

  /** A chunk was dropped: neither cache may keep it (a chunk later made for its key is another). */
  private forgetCached(): void {
    this.writeKey = this.readKey = -1;
    this.writeChunk = this.readChunk = undefined;
  }
}
